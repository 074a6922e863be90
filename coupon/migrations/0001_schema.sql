-- Coupon events, the coupons persisted from the coupon-issue topic, and the catalogue the
-- top-products query ranks.

CREATE TABLE events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    stock INT UNSIGNED NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per coupon. The primary key makes persistence idempotent (a redelivered message is
-- ignored) and makes a second coupon for the same user impossible here too. No foreign key to
-- events: the consumer must never stall on a message it cannot write.
CREATE TABLE coupons (
    event_id BIGINT UNSIGNED NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    seq INT UNSIGNED NOT NULL,
    issued_at DATETIME(3) NOT NULL,
    persisted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (event_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE products (
    id INT UNSIGNED NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    price_won INT UNSIGNED NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE order_items (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    product_id INT UNSIGNED NOT NULL,
    quantity INT UNSIGNED NOT NULL,
    KEY order_items_product (product_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

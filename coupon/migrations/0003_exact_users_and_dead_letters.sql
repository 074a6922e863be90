-- User ids compare byte for byte, as they do in Redis: `alice` and `ALICE` are two users.
-- (The table's default collation, utf8mb4_general_ci, made them one: the second coupon was
-- issued by Redis and then silently dropped by `INSERT IGNORE`.) Ids are trimmed before they
-- are used, so the collation's PAD SPACE rule cannot join two of them either.
ALTER TABLE coupons MODIFY user_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;

-- Coupons that can never be delivered to the broker (it refused them for good, or their outbox
-- entry cannot be read), kept for an operator instead of being retried forever. One row per
-- outbox entry: storing it again after a crash changes nothing.
CREATE TABLE dead_letters (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id BIGINT UNSIGNED NOT NULL,
    entry_id VARCHAR(64) NOT NULL,
    payload TEXT NOT NULL,
    error VARCHAR(1000) NOT NULL,
    failed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY dead_letters_entry (event_id, entry_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

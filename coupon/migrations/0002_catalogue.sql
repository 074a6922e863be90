-- A sample catalogue: 500 products and 100,000 order lines whose totals fall with the product
-- id, so the ranking is deterministic and the aggregation costs what a real one does (tens of
-- milliseconds), which is what the cache in front of it is for.

INSERT INTO products (id, name, price_won)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
SELECT i, CONCAT('상품 ', LPAD(i, 3, '0')), 1000 * (1 + i % 50) FROM n;

INSERT INTO order_items (product_id, quantity)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500),
               m (j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM m WHERE j < 200)
SELECT i, 1 + 100000 DIV (i * 200 + j) FROM n CROSS JOIN m;

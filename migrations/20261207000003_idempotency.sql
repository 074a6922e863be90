-- Idempotency keys (issue 19): the first answer to a POST sent with `Idempotency-Key`, kept
-- for 24 hours per caller, so a retry of the same request gets it again instead of writing
-- twice. `status` is NULL while the first request is still being answered.
CREATE TABLE idempotency_keys (
    actor        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    fingerprint  BLOB    NOT NULL,
    created_at   TEXT    NOT NULL,
    status       INTEGER,
    content_type TEXT,
    location     TEXT,
    body         BLOB,
    PRIMARY KEY (actor, key)
) STRICT;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Load-test runs: the figures read from each summary (a column each, so lists can filter and
-- capacity can be read off them), its thresholds, checks and per-second series, and the raw
-- document as sent; their links to incidents.

CREATE TABLE load_test_runs (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL DEFAULT '',
    scenario         TEXT    NOT NULL DEFAULT '',
    environment      TEXT    NOT NULL DEFAULT '',
    version          TEXT    NOT NULL DEFAULT '',
    notes            TEXT    NOT NULL DEFAULT '',
    started_at       TEXT,
    format           TEXT    NOT NULL CHECK (format IN ('k6_summary', 'k6_export', 'coupon_loadtest')),
    vus_max          REAL,
    duration_seconds REAL,
    requests         REAL,
    rps              REAL,
    p50_ms           REAL,
    p90_ms           REAL,
    p95_ms           REAL,
    p99_ms           REAL,
    max_ms           REAL,
    error_rate       REAL,
    checks_passed    REAL,
    checks_failed    REAL,
    cache_hit_rate   REAL,
    coupons_issued   REAL,
    stock            REAL,
    -- JSON arrays.
    thresholds       TEXT    NOT NULL DEFAULT '[]',
    checks           TEXT    NOT NULL DEFAULT '[]',
    series           TEXT    NOT NULL DEFAULT '[]',
    passed           INTEGER CHECK (passed IN (0, 1)),
    raw              TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    created_by       TEXT    NOT NULL DEFAULT '',
    -- When it ran: as stated, else when it was filed.
    ran_at           TEXT    GENERATED ALWAYS AS (coalesce(started_at, created_at)) VIRTUAL
);
CREATE INDEX load_test_runs_newest ON load_test_runs (ran_at DESC, id DESC);

CREATE TABLE load_test_services (
    run_id  INTEGER NOT NULL REFERENCES load_test_runs (id) ON DELETE CASCADE,
    service TEXT    NOT NULL,
    PRIMARY KEY (run_id, service)
);
CREATE INDEX load_test_services_by_service ON load_test_services (service, run_id);

CREATE TABLE incident_load_tests (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL REFERENCES load_test_runs (id) ON DELETE CASCADE,
    relation    TEXT    NOT NULL CHECK (relation IN ('predicted_by', 'reproduced_by', 'verified_fix')),
    linked_at   TEXT    NOT NULL,
    PRIMARY KEY (incident_id, run_id)
);
CREATE INDEX incident_load_tests_run ON incident_load_tests (run_id);

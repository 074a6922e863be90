-- Alert events from Alertmanager and Grafana webhooks, linked to incidents; outgoing webhooks
-- and the outbox they are delivered from.

CREATE TABLE alert_events (
    id                   INTEGER PRIMARY KEY,
    -- As the sender computed it, never re-hashed.
    fingerprint          TEXT    NOT NULL,
    starts_at            TEXT    NOT NULL,
    ends_at              TEXT,
    status               TEXT    NOT NULL CHECK (status IN ('firing', 'resolved')),
    source               TEXT    NOT NULL CHECK (source IN ('alertmanager', 'grafana')),
    alertname            TEXT    NOT NULL DEFAULT '',
    service              TEXT    NOT NULL DEFAULT '',
    priority             TEXT    CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
    -- JSON objects, whole.
    labels               TEXT    NOT NULL,
    annotations          TEXT    NOT NULL,
    generator_url        TEXT    NOT NULL DEFAULT '',
    receiver             TEXT    NOT NULL DEFAULT '',
    group_key            TEXT    NOT NULL DEFAULT '',
    external_url         TEXT    NOT NULL DEFAULT '',
    truncated_alerts     INTEGER NOT NULL DEFAULT 0,
    extra                TEXT,
    received_at          TEXT    NOT NULL,
    resolved_received_at TEXT,
    incident_id          INTEGER REFERENCES incidents (id) ON DELETE SET NULL,
    linked_by            TEXT    CHECK (linked_by IN ('rule', 'hand')),
    UNIQUE (fingerprint, starts_at)
);
CREATE INDEX alert_events_newest ON alert_events (received_at DESC, id DESC);
CREATE INDEX alert_events_incident ON alert_events (incident_id, starts_at);
CREATE INDEX alert_events_group ON alert_events (group_key, incident_id);
CREATE INDEX alert_events_name ON alert_events (alertname, received_at DESC);

-- A timeline event made for an alert (fired, resolved) points at it, so unlinking the alert
-- takes its events along.
ALTER TABLE timeline_events ADD COLUMN alert_id INTEGER REFERENCES alert_events (id) ON DELETE SET NULL;
CREATE INDEX timeline_events_alert ON timeline_events (alert_id);

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    url         TEXT    NOT NULL,
    format      TEXT    NOT NULL CHECK (format IN ('slack', 'json', 'pagerduty')),
    -- Space-separated event kinds it wants.
    events      TEXT    NOT NULL,
    -- PagerDuty's integration key (routing_key).
    routing_key TEXT    NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL
);

-- A notification waiting for delivery, written in the transaction of the change it reports.
-- `dedupe_key` keeps a scheduled notification (a 15-minute briefing, a breach) from being
-- queued twice.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           TEXT    NOT NULL,
    incident_id     INTEGER,
    body            TEXT    NOT NULL,
    dedupe_key      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    -- Set when it is given up on.
    failed_at       TEXT,
    last_error      TEXT,
    UNIQUE (webhook_id, dedupe_key)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    outbox_id   INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    webhook_id  INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    status_code INTEGER,
    error       TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, id DESC);

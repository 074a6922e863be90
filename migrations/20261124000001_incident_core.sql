-- hoego's incident core. Enum columns are TEXT with CHECK constraints naming the same
-- spellings as the Rust enums (app/src/domain). Times are RFC 3339 UTC text; dates YYYY-MM-DD.

CREATE TABLE incidents (
    id                         INTEGER PRIMARY KEY,
    title                      TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    severity                   TEXT    NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
    status                     TEXT    NOT NULL CHECK (status IN ('detected', 'triaged', 'mitigating', 'recovered', 'in_review', 'closed')),
    customer_impact            TEXT    NOT NULL DEFAULT '',
    business_impact            TEXT    NOT NULL DEFAULT '',
    failed_requests            INTEGER CHECK (failed_requests >= 0),
    customers_affected         INTEGER CHECK (customers_affected >= 0),
    summary                    TEXT    NOT NULL DEFAULT '',
    narrative                  TEXT    NOT NULL DEFAULT '',
    -- summary and narrative rendered to sanitized HTML when written (reads outnumber writes).
    summary_html               TEXT    NOT NULL DEFAULT '',
    narrative_html             TEXT    NOT NULL DEFAULT '',
    started_at                 TEXT,
    started_at_provenance      TEXT    CHECK (started_at_provenance IN ('alert', 'manual', 'load_test')),
    detected_at                TEXT,
    detected_at_provenance     TEXT    CHECK (detected_at_provenance IN ('alert', 'manual', 'load_test')),
    acknowledged_at            TEXT,
    acknowledged_at_provenance TEXT    CHECK (acknowledged_at_provenance IN ('alert', 'manual', 'load_test')),
    recovered_at               TEXT,
    recovered_at_provenance    TEXT    CHECK (recovered_at_provenance IN ('alert', 'manual', 'load_test')),
    resolved_at                TEXT,
    resolved_at_provenance     TEXT    CHECK (resolved_at_provenance IN ('alert', 'manual', 'load_test')),
    created_at                 TEXT    NOT NULL,
    updated_at                 TEXT    NOT NULL,
    -- "Newest first" sorts on when impact began, or when the incident was filed if unknown.
    sort_at                    TEXT    GENERATED ALWAYS AS (coalesce(started_at, created_at)) VIRTUAL
);
CREATE INDEX incidents_newest ON incidents (sort_at DESC, id DESC);
CREATE INDEX incidents_status ON incidents (status, sort_at DESC);
CREATE INDEX incidents_severity ON incidents (severity, sort_at DESC);

CREATE TABLE incident_services (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    service     TEXT    NOT NULL CHECK (length(service) > 0),
    position    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, service)
);
CREATE INDEX incident_services_by_service ON incident_services (service, incident_id);

CREATE TABLE status_changes (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    at          TEXT    NOT NULL
);
CREATE INDEX status_changes_incident ON status_changes (incident_id, at);

CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('alert_fired', 'alert_resolved', 'detected', 'action', 'communication', 'mitigation', 'recovered', 'note')),
    text        TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    source      TEXT    NOT NULL CHECK (source IN ('alert', 'manual', 'load_test')),
    author      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX timeline_events_incident ON timeline_events (incident_id, at, id);

CREATE TABLE five_whys (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    problem     TEXT    NOT NULL CHECK (length(trim(problem)) > 0),
    root_cause  TEXT    NOT NULL DEFAULT '',
    category    TEXT    NOT NULL CHECK (category IN ('capacity_planning', 'monitoring_gap', 'missing_resilience', 'test_environment', 'human_process', 'configuration', 'code_defect', 'dependency', 'other'))
);
CREATE INDEX five_whys_incident ON five_whys (incident_id, id);

CREATE TABLE five_why_steps (
    id       INTEGER PRIMARY KEY,
    chain_id INTEGER NOT NULL REFERENCES five_whys (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    why      TEXT    NOT NULL CHECK (length(trim(why)) > 0),
    because  TEXT    NOT NULL CHECK (length(trim(because)) > 0)
);
CREATE INDEX five_why_steps_chain ON five_why_steps (chain_id, position);

CREATE TABLE action_items (
    id               INTEGER PRIMARY KEY,
    incident_id      INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    title            TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    owner            TEXT    NOT NULL DEFAULT '',
    due              TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'wont_do')),
    horizon          TEXT    NOT NULL CHECK (horizon IN ('immediate', 'short_term', 'long_term')),
    kind             TEXT    NOT NULL CHECK (kind IN ('technical', 'process', 'people')),
    five_why_step_id INTEGER REFERENCES five_why_steps (id) ON DELETE SET NULL
);
CREATE INDEX action_items_incident ON action_items (incident_id, id);
CREATE INDEX action_items_open ON action_items (status, due);
CREATE INDEX action_items_step ON action_items (five_why_step_id);

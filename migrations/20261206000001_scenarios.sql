-- Failure scenarios and imported documents (issue 17).
--
-- A scenario's parts that are read and written whole (symptoms, detection, the staged plan, the
-- predicted chain) are JSON: nothing filters on them, and a plan's steps carry their own stable
-- ids, which incidents' ticks point at.

-- Every imported Markdown file, as sent, so nothing in it is lost whatever the importer made
-- of it; the hash makes importing the same file twice a no-op.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL CHECK (kind IN ('premortem', 'postmortem')),
    source      TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    imported_by TEXT    NOT NULL DEFAULT ''
);

-- The document an imported postmortem's incident was made from.
ALTER TABLE incidents ADD COLUMN document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL;
CREATE INDEX incidents_document ON incidents (document_id);

CREATE TABLE scenarios (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    severity        TEXT    CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
    triggered_by    TEXT    NOT NULL DEFAULT '',
    business_impact TEXT    NOT NULL DEFAULT '',
    notes           TEXT    NOT NULL DEFAULT '',
    symptoms        TEXT    NOT NULL DEFAULT '[]',
    services        TEXT    NOT NULL DEFAULT '[]',
    detection       TEXT    NOT NULL DEFAULT '{}',
    stages          TEXT    NOT NULL DEFAULT '[]',
    chain           TEXT    NOT NULL DEFAULT '{}',
    document_id     INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    created_by      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX scenarios_document ON scenarios (document_id);

CREATE TABLE scenario_load_tests (
    scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL REFERENCES load_test_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (scenario_id, run_id)
);

CREATE TABLE incident_scenarios (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    linked_by   TEXT    NOT NULL CHECK (linked_by IN ('rule', 'hand')),
    linked_at   TEXT    NOT NULL,
    PRIMARY KEY (incident_id, scenario_id)
);
CREATE INDEX incident_scenarios_scenario ON incident_scenarios (scenario_id);

-- A step of a scenario's plan done during an incident, and the timeline event that says so
-- (deleting the event un-ticks the step).
CREATE TABLE scenario_ticks (
    incident_id INTEGER NOT NULL,
    scenario_id INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    event_id    INTEGER NOT NULL REFERENCES timeline_events (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, scenario_id, step),
    FOREIGN KEY (incident_id, scenario_id)
        REFERENCES incident_scenarios (incident_id, scenario_id) ON DELETE CASCADE
);
CREATE INDEX scenario_ticks_event ON scenario_ticks (event_id);

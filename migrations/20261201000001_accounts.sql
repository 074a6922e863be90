-- People, their sessions and API tokens, and the audit log of every write.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    role          TEXT    NOT NULL CHECK (role IN ('viewer', 'engineer', 'manager', 'admin')),
    -- argon2id, PHC string format (algorithm, parameters and salt included).
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    disabled_at   TEXT
);

-- A session is a random secret in an HttpOnly cookie; only its SHA-256 is stored, so a copy of
-- the database does not sign anyone in.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    secret_hash  BLOB    NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    -- NULL: a machine's token, made on the command line.
    owner_id     INTEGER REFERENCES people (id) ON DELETE CASCADE,
    -- Space-separated, from 'read', 'write', 'ingest'.
    scopes       TEXT    NOT NULL CHECK (length(scopes) > 0),
    secret_hash  BLOB    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_owner ON api_tokens (owner_id);

-- Every write: who, when, what, and the record before and after (JSON). No foreign keys: the
-- log outlives what it describes.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    person_id   INTEGER,
    token_id    INTEGER,
    verb        TEXT    NOT NULL CHECK (verb IN ('create', 'update', 'delete')),
    kind        TEXT    NOT NULL,
    record_id   INTEGER,
    incident_id INTEGER,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_log_newest ON audit_log (id DESC);
CREATE INDEX audit_log_incident ON audit_log (incident_id, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor COLLATE NOCASE, id DESC);

-- Who recorded a timeline event, created an action item, moved a status.
ALTER TABLE timeline_events ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE action_items ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE status_changes ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';

-- Versions (issue 19): each incident and each record filed under one counts its writes, so a
-- change made from an old copy (a form opened before someone else saved, a PATCH with a stale
-- If-Match) is refused instead of silently overwriting the newer one.
ALTER TABLE incidents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE timeline_events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE five_whys ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

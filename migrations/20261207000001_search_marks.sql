-- Incidents whose search document may be behind the database (issue 19).
--
-- The write that changes an incident marks it here in its own transaction; the mark is cleared
-- once the index has committed that incident as the database had it, and only if no later
-- write re-marked it meanwhile (the generation tells). Whatever is marked at start was written
-- but perhaps never indexed (a crash, a failed index commit) and is indexed again then. No
-- foreign key: a deleted incident's mark is what removes it from the index.
CREATE TABLE search_marks (
    incident_id INTEGER PRIMARY KEY,
    generation  INTEGER NOT NULL DEFAULT 1
) STRICT;

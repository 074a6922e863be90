-- Insights (issue 16).
--
-- When an action item was done: "done on time" and "days to done" need it. Set by hoego when
-- an item moves to `done` (or given with it, for items done before they were filed); cleared
-- when it moves back. Items done before this column existed have none and are counted as done
-- with the time unknown.
ALTER TABLE action_items ADD COLUMN done_at TEXT;

-- The insights figures are computed from an in-memory copy of every incident's times and
-- categories, refreshed from the incidents changed since it was made: `updated_at` is bumped
-- for every incident a write changed (`Tx::commit`), and this index finds them.
CREATE INDEX incidents_updated ON incidents (updated_at);

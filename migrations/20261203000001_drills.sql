-- Drills: incidents made on purpose (`coupon drill`, game days), shown with a badge and left
-- out of MTTx figures by default.
ALTER TABLE incidents ADD COLUMN drill INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1));
CREATE INDEX incidents_drill ON incidents (drill, sort_at DESC);

-- 0014 (issue #14): two lookups of the quarterly return that read whole tables.
-- The arrangements ending within 90 days after the quarter are found by their end, planned or
-- actual (the query asks for either end in that window, which an index on each can answer), not
-- by a scan of every arrangement ever made: on SQLite at city scale 20 -> 10 ms.
-- The estates counted by unit, category and registration time come from an index that holds those
-- three columns, not from the wide rows: 52 -> 45 ms for the count with each estate's state.

CREATE INDEX arrangements_planned_end ON arrangements (planned_end);
CREATE INDEX arrangements_ended_on ON arrangements (ended_on);
CREATE INDEX estates_unit_category_created ON estates (unit, category, created_at);

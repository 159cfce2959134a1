-- 0015 (issue #14): the state span running on a day, read from the index alone.
-- The coverage counts and the return's episodes look up each estate's span running on a day through
-- estate_states_estate_end (migration 0013), then read the span's row for its start and state. With
-- those in the index (INCLUDE), PostgreSQL can answer such a lookup from the index alone once the
-- table has been vacuumed. Same columns as SQLite's index, which gains most from it.

DROP INDEX estate_states_estate_end;
CREATE INDEX estate_states_estate_end ON estate_states (estate_id, (COALESCE(end_date, '9999-99-99'))) INCLUDE (start_date, state, end_date);

-- 0013 (issue #14): the read model's spans running on a day (started by then, ending after it or
-- not at all) found by their end instead of by their start. Every span of an estate's history
-- started before a recent day, so an index on the start read them all; few end after it. The
-- queries compare COALESCE(end_date, '9999-99-99'), the expression indexed here: an open span
-- ends after every date, 9999-12-31 included, as that text sorts after all of them. City
-- roll-up queries on SQLite at city scale: 143 → 76 ms.

CREATE INDEX estate_states_state_end ON estate_states (state, COALESCE(end_date, '9999-99-99'));
CREATE INDEX estate_states_estate_end ON estate_states (estate_id, COALESCE(end_date, '9999-99-99'));
CREATE INDEX estate_episodes_estate_end ON estate_episodes (estate_id, COALESCE(end_date, '9999-99-99'));

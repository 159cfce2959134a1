-- 0010 episode read model (issue #14): each estate's unmanaged episodes and its state spans,
-- exactly as the domain's EstateTimeline computes them. The store rewrites an estate's rows in
-- the transaction of every fact, correction and arrangement change of that estate; coverage and
-- returns group over them. The rows are derived data: a migration cannot run Swift, so
-- `tuodi migrate` (and `serve --migrate`) builds them for existing data when the table is empty
-- and facts exist, and `tuodi maintenance rebuild-episodes [--verify]` rebuilds or checks them.

CREATE TABLE estate_episodes (
    estate_id BIGINT NOT NULL REFERENCES estates (id),
    -- The episode's place among the estate's episodes, from 1.
    seq INTEGER NOT NULL,
    unit TEXT NOT NULL,
    start_date TEXT NOT NULL,
    -- The first day no longer unmanaged; NULL while the episode runs.
    end_date TEXT,
    -- managed or a coverage kind; NULL while the episode runs.
    ended_by TEXT CHECK (ended_by IN ('managed', 'selection', 'custody', 'ownerSelf', 'communityFallback')),
    days_to_cover INTEGER,
    PRIMARY KEY (estate_id, seq)
);

CREATE INDEX estate_episodes_unit_start ON estate_episodes (unit, start_date);
CREATE INDEX estate_episodes_start ON estate_episodes (start_date);

-- Stretches of days in one state; end_date is exclusive, NULL while the state lasts. Days before
-- the estate's first fact (state unknown) have no row.
CREATE TABLE estate_states (
    estate_id BIGINT NOT NULL REFERENCES estates (id),
    unit TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    state TEXT NOT NULL CHECK (state IN ('managed', 'unmanaged', 'selection', 'custody', 'ownerSelf', 'communityFallback')),
    PRIMARY KEY (estate_id, start_date)
);

CREATE INDEX estate_states_unit_state ON estate_states (unit, state, start_date);
CREATE INDEX estate_states_state ON estate_states (state, start_date);

-- 0005 pool: district settings, admission rounds, applications, memberships and their history.
-- Dates are ISO 8601 text; rubrics and scores are JSON text (name → weight / score).

CREATE TABLE district_settings (
    unit TEXT PRIMARY KEY REFERENCES reporting_units (code),
    membership_term_years INTEGER NOT NULL CHECK (membership_term_years BETWEEN 1 AND 3),
    custody_max_months INTEGER NOT NULL CHECK (custody_max_months BETWEEN 1 AND 36),
    return_deadline_days INTEGER NOT NULL CHECK (return_deadline_days BETWEEN 1 AND 60),
    updated_at TEXT NOT NULL
);

CREATE TABLE admission_rounds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL CHECK (closes_on >= opens_on),
    criteria_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES admission_rounds (id),
    uscc TEXT NOT NULL REFERENCES companies (uscc),
    status TEXT NOT NULL CHECK (status IN ('applied', 'scored', 'proposed', 'admitted', 'rejected', 'withdrawn')),
    capacity_estates INTEGER NOT NULL CHECK (capacity_estates > 0),
    capacity_households INTEGER CHECK (capacity_households > 0),
    scores_json TEXT,
    total DOUBLE PRECISION,
    proposal TEXT CHECK (proposal IN ('admit', 'reject')),
    proposal_reason TEXT,
    proposed_by TEXT,
    decided_by TEXT,
    decision_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    -- Four eyes: whoever decides did not propose.
    CHECK (decided_by IS NULL OR proposed_by IS NULL OR decided_by <> proposed_by)
);

-- One live application per company and round.
CREATE UNIQUE INDEX applications_live ON applications (round_id, uscc) WHERE status NOT IN ('rejected', 'withdrawn');

CREATE TABLE memberships (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    uscc TEXT NOT NULL REFERENCES companies (uscc),
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL CHECK (end_date >= start_date),
    capacity_estates INTEGER NOT NULL CHECK (capacity_estates > 0),
    capacity_households INTEGER CHECK (capacity_households > 0),
    score DOUBLE PRECISION NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX memberships_unit ON memberships (unit, start_date);

CREATE TABLE membership_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    membership_id BIGINT NOT NULL REFERENCES memberships (id),
    kind TEXT NOT NULL CHECK (kind IN ('suspended', 'reinstated', 'removed')),
    effective_date TEXT NOT NULL,
    until_date TEXT CHECK (until_date IS NULL OR until_date > effective_date),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE INDEX membership_events_membership ON membership_events (membership_id);

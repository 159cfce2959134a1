-- 0006 arrangements: the four routes that cover an unmanaged estate, their dated changes, and
-- competitive-selection rounds (lots, invitations, bids, the award). Dates are ISO 8601 text.
-- Overlap and capacity are checked by the store inside the writing transaction, after it has
-- locked the estate and the company rows (see SQLStore+Arrangements.swift).

CREATE TABLE selection_rounds (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    title TEXT NOT NULL CHECK (length(title) > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'evaluation', 'awarded', 'failed', 'cancelled')),
    technical_percent INTEGER NOT NULL,
    price_percent INTEGER NOT NULL CHECK (price_percent >= 10 AND technical_percent >= 0 AND technical_percent + price_percent = 100),
    closes_on TEXT NOT NULL,
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL CHECK (term_end >= term_start),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    opened_at TEXT,
    closed_at TEXT,
    -- The day it reached awarded, failed or cancelled (quarterly return: rounds finished in the quarter).
    finished_on TEXT,
    finished_at TEXT,
    outcome_reason TEXT,
    award_bid_id INTEGER,
    award_proposed_by TEXT,
    award_decided_by TEXT,
    -- Four eyes: whoever approves the award did not propose it.
    CHECK (award_decided_by IS NULL OR award_decided_by <> award_proposed_by)
);

CREATE INDEX selection_rounds_unit ON selection_rounds (unit, id);

CREATE TABLE selection_lots (
    round_id INTEGER NOT NULL REFERENCES selection_rounds (id),
    estate_id INTEGER NOT NULL REFERENCES estates (id),
    PRIMARY KEY (round_id, estate_id)
);

CREATE TABLE selection_invitations (
    round_id INTEGER NOT NULL REFERENCES selection_rounds (id),
    uscc TEXT NOT NULL REFERENCES companies (uscc),
    PRIMARY KEY (round_id, uscc)
);

CREATE TABLE selection_bids (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES selection_rounds (id),
    uscc TEXT NOT NULL REFERENCES companies (uscc),
    price REAL NOT NULL CHECK (price > 0),
    technical_score REAL NOT NULL CHECK (technical_score >= 0 AND technical_score <= 100),
    submitted_at TEXT NOT NULL,
    invalid_reason TEXT,
    recorded_by TEXT NOT NULL,
    UNIQUE (round_id, uscc)
);

CREATE TABLE arrangements (
    id INTEGER PRIMARY KEY,
    estate_id INTEGER NOT NULL REFERENCES estates (id),
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    kind TEXT NOT NULL CHECK (kind IN ('selection', 'custody', 'ownerSelf', 'communityFallback')),
    provider_uscc TEXT REFERENCES companies (uscc),
    provider_body TEXT,
    provider_contact TEXT,
    start_date TEXT NOT NULL,
    planned_end TEXT CHECK (planned_end IS NULL OR planned_end >= start_date),
    review_date TEXT,
    ended_on TEXT,
    fee REAL CHECK (fee IS NULL OR fee >= 0),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'ended', 'terminated', 'rejected')),
    justification TEXT,
    replaces INTEGER REFERENCES arrangements (id),
    selection_round_id INTEGER REFERENCES selection_rounds (id),
    proposed_by TEXT NOT NULL,
    decided_by TEXT,
    decision_reason TEXT,
    created_at TEXT NOT NULL,
    -- A pool company for selection and custody; a named body for the other two.
    CHECK ((kind IN ('selection', 'custody')) = (provider_uscc IS NOT NULL)),
    CHECK ((kind IN ('ownerSelf', 'communityFallback')) = (provider_body IS NOT NULL)),
    CHECK (kind <> 'custody' OR (planned_end IS NOT NULL AND justification IS NOT NULL)),
    -- Four eyes: whoever approves or rejects did not propose.
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);

CREATE INDEX arrangements_estate ON arrangements (estate_id, start_date);
CREATE INDEX arrangements_provider ON arrangements (provider_uscc, unit, start_date);
CREATE INDEX arrangements_unit ON arrangements (unit, status);

-- Extensions, terminations and endings, each with its reason: the arrangement's dated history.
CREATE TABLE arrangement_changes (
    id INTEGER PRIMARY KEY,
    arrangement_id INTEGER NOT NULL REFERENCES arrangements (id),
    kind TEXT NOT NULL CHECK (kind IN ('extended', 'terminated', 'replaced', 'regularAppointment')),
    effective_date TEXT NOT NULL,
    previous_end TEXT,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE INDEX arrangement_changes_arrangement ON arrangement_changes (arrangement_id);

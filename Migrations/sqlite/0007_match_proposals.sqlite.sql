-- 0007 match proposals: batch custody proposals from the matching engine, and each district's
-- weights for their cost (MatchWeights; points out of 100).

ALTER TABLE district_settings ADD COLUMN match_weight_sub_district INTEGER NOT NULL DEFAULT 30
    CHECK (match_weight_sub_district BETWEEN 0 AND 100);
ALTER TABLE district_settings ADD COLUMN match_weight_merit INTEGER NOT NULL DEFAULT 30
    CHECK (match_weight_merit BETWEEN 0 AND 100);
ALTER TABLE district_settings ADD COLUMN match_weight_load INTEGER NOT NULL DEFAULT 25
    CHECK (match_weight_load BETWEEN 0 AND 100);
ALTER TABLE district_settings ADD COLUMN match_weight_district_group INTEGER NOT NULL DEFAULT 15
    CHECK (match_weight_district_group BETWEEN 0 AND 100);

-- The plan (pairs with their cost factors, the estates left over) is one JSON document: it is
-- read and rewritten whole, by edits, and never queried by its parts.
CREATE TABLE match_proposals (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    as_of TEXT NOT NULL,
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL CHECK (term_end >= term_start),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    weights_json TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    -- The custody arrangements its approval created.
    arrangement_ids_json TEXT NOT NULL,
    -- Four eyes: whoever approves or rejects did not propose.
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);

CREATE INDEX match_proposals_unit ON match_proposals (unit, id);

-- 0004 estates: the list of old and unmanaged estates, and dated management facts.
-- Dates are ISO 8601 text (YYYY-MM-DD) on both dialects, so they compare and sort alike.

CREATE TABLE estates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    legal_district TEXT NOT NULL REFERENCES reporting_units (code),
    sub_district TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('directPublic', 'workUnitPublic', 'earlyCommodity', 'otherOld')),
    high_dispute INTEGER NOT NULL CHECK (high_dispute IN (0, 1)),
    households INTEGER NOT NULL CHECK (households > 0),
    buildings INTEGER NOT NULL CHECK (buildings > 0),
    floor_area REAL NOT NULL CHECK (floor_area > 0),
    year_built INTEGER,
    created_at TEXT NOT NULL
);

CREATE INDEX estates_unit ON estates (unit, code);

-- Facts are never edited: a correction is a new row that supersedes an earlier one.
CREATE TABLE management_facts (
    id INTEGER PRIMARY KEY,
    estate_id INTEGER NOT NULL REFERENCES estates (id),
    effective_date TEXT NOT NULL CHECK (effective_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('becameUnmanaged', 'regularBegan', 'regularEnded', 'retraction')),
    reason TEXT,
    company TEXT,
    supersedes INTEGER REFERENCES management_facts (id),
    correction_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
);

CREATE INDEX management_facts_estate ON management_facts (estate_id, effective_date);
-- A fact is superseded at most once.
CREATE UNIQUE INDEX management_facts_supersedes ON management_facts (supersedes) WHERE supersedes IS NOT NULL;

-- 0004 estates: the list of old and unmanaged estates, and dated management facts.
-- Dates are ISO 8601 text (YYYY-MM-DD) on both dialects, so they compare and sort alike.

CREATE TABLE estates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    legal_district TEXT NOT NULL REFERENCES reporting_units (code),
    sub_district TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('directPublic', 'workUnitPublic', 'earlyCommodity', 'otherOld')),
    high_dispute BOOLEAN NOT NULL,
    households INTEGER NOT NULL CHECK (households > 0),
    buildings INTEGER NOT NULL CHECK (buildings > 0),
    floor_area DOUBLE PRECISION NOT NULL CHECK (floor_area > 0),
    year_built INTEGER,
    created_at TEXT NOT NULL
);

CREATE INDEX estates_unit ON estates (unit, code);

-- Facts are never edited: a correction is a new row that supersedes an earlier one.
CREATE TABLE management_facts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    estate_id BIGINT NOT NULL REFERENCES estates (id),
    effective_date TEXT NOT NULL CHECK (effective_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    kind TEXT NOT NULL CHECK (kind IN ('becameUnmanaged', 'regularBegan', 'regularEnded', 'retraction')),
    reason TEXT,
    company TEXT,
    supersedes BIGINT REFERENCES management_facts (id),
    correction_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
);

CREATE INDEX management_facts_estate ON management_facts (estate_id, effective_date);
-- A fact is superseded at most once.
CREATE UNIQUE INDEX management_facts_supersedes ON management_facts (supersedes) WHERE supersedes IS NOT NULL;

-- 0008 quarterly returns: one per unit and quarter, draft → approved → submitted. The snapshot is
-- the return as approved (JSON) with its SHA-256; once submitted the row can no longer change.

CREATE TABLE quarterly_returns (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES reporting_units (code),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'submitted')),
    snapshot_json TEXT NOT NULL,
    snapshot_sha256 TEXT NOT NULL,
    drafted_by TEXT NOT NULL,
    drafted_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    submitted_by TEXT,
    submitted_at TEXT,
    UNIQUE (unit, year, quarter),
    -- Four eyes: whoever approves did not draft.
    CHECK (approved_by IS NULL OR approved_by <> drafted_by),
    CHECK (status = 'draft' OR approved_by IS NOT NULL),
    CHECK (status <> 'submitted' OR submitted_at IS NOT NULL)
);

CREATE FUNCTION quarterly_returns_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION 'a submitted quarterly return is frozen';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER quarterly_returns_submitted_frozen BEFORE UPDATE OR DELETE ON quarterly_returns
    FOR EACH ROW EXECUTE FUNCTION quarterly_returns_frozen();

-- 0010 recorded arrangements (#12): arrangements a district decided before adopting Tuodi,
-- entered after the fact with the decision's date and document reference (文号). They are
-- proposed by a clerk and approved by a second person like live ones, and stay recognisable as
-- records (document_ref set). A selection awarded outside Tuodi gets a round of its own that
-- holds only what is known: the award document, the winner, and optionally the number of
-- valid bids and the awarded price; it has no bids. Its weight columns (NOT NULL since 0006)
-- carry the schema's minimum price weight and are never shown for such a round.

ALTER TABLE arrangements ADD COLUMN decided_on TEXT;
ALTER TABLE arrangements ADD COLUMN document_ref TEXT;
ALTER TABLE selection_rounds ADD COLUMN decided_on TEXT;
ALTER TABLE selection_rounds ADD COLUMN document_ref TEXT;
ALTER TABLE selection_rounds ADD COLUMN awarded_uscc TEXT REFERENCES companies (uscc);
ALTER TABLE selection_rounds ADD COLUMN valid_bid_count INTEGER CHECK (valid_bid_count IS NULL OR valid_bid_count >= 3);
ALTER TABLE selection_rounds ADD COLUMN awarded_price REAL CHECK (awarded_price IS NULL OR awarded_price > 0);

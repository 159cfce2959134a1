-- 0009 recorded admissions (#12): a district adopting Tuodi records the pool admissions it
-- decided before, each as a round of its own that carries the decision's date and document
-- reference (文号). Its memberships start on the decision date, not on the day of entry; an
-- application may carry the term the decision stated (else the district's setting applies).

ALTER TABLE admission_rounds ADD COLUMN decided_on TEXT;
ALTER TABLE admission_rounds ADD COLUMN document_ref TEXT;
ALTER TABLE applications ADD COLUMN term_end TEXT;

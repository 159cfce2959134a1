-- 0012 (issue #14): the capacity check of a new arrangement reads the company's arrangements in
-- the district that can still hold a day of the new term, those planned to end on or after its
-- first day, instead of every arrangement the company ever held that started before the term
-- ended. The old index led with the start date, which a company's whole history satisfies, so
-- each appointment read more rows the longer the company had served. An open-ended arrangement
-- counts as ending '9999-99-99', text that sorts after every date. The company's arrangements in
-- start order are few enough to sort without an index.

DROP INDEX arrangements_provider;
CREATE INDEX arrangements_provider_end ON arrangements (provider_uscc, unit, COALESCE(planned_end, '9999-99-99'));

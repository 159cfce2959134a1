-- 0003 company contact: the person and phone a bureau calls (never shown on the public roster).

ALTER TABLE companies ADD COLUMN contact_person TEXT;
ALTER TABLE companies ADD COLUMN contact_phone TEXT;

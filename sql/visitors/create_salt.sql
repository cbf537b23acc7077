-- parameters: day salt
-- The salt of a local day, unless a writer made it first (salt_of reads the one that won).
INSERT INTO visitor_salts (day, salt) VALUES ($1::date, decode($2, 'hex'))
ON CONFLICT (day) DO NOTHING

-- parameters: before
-- Destroys the salts of the days before $1: their visitor keys then lead nowhere.
DELETE FROM visitor_salts WHERE day < $1::date

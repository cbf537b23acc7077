-- parameters: day
SELECT encode(salt, 'hex') FROM visitor_salts WHERE day = $1::date

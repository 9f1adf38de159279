-- Optional, for reach: the birth year (only an age band leaves this service) and whether the resident rents or owns.
ALTER TABLE residents ADD COLUMN birth_year integer;
ALTER TABLE residents ADD COLUMN tenure text;

-- Issue 9: residents' pseudonymous snapshots (ResidentProfileChanged). The birth year lets reach compute the age
-- band when it is asked for, not frozen at registration; the version keeps a late snapshot from undoing a newer one.
-- Rows from before keep their stored age band (birth_year null).
ALTER TABLE residents_concerned ADD COLUMN birth_year integer;
ALTER TABLE residents_concerned ADD COLUMN profile_version bigint;

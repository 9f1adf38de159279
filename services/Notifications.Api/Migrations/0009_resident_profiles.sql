-- Issue 9: residents' snapshots (ResidentProfileChanged) keep the recipients up to date: language, channel, digest,
-- their own quiet hours and the purposes they consent to. The version keeps a late snapshot from undoing a newer one.
-- Everyone known before was registered by a partner to take part, which the residents service records as
-- participation consent: so they start with it, as new registrations do.
ALTER TABLE recipients ADD COLUMN profile_version bigint;
ALTER TABLE recipients ADD COLUMN consents text[] NOT NULL DEFAULT ARRAY['participation'];
-- The resident's own quiet hours (Amsterdam time); null: the platform's (21:00 to 08:00).
ALTER TABLE recipients ADD COLUMN quiet_hours_start time;
ALTER TABLE recipients ADD COLUMN quiet_hours_end time;

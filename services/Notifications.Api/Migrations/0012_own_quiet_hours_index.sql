-- The delivery worker looks for residents in their own quiet hours on every round; only a few residents set them, so
-- a partial index keeps that look-up from reading every recipient (100,000 of them after one bulk registration).
CREATE INDEX recipients_own_quiet_hours ON recipients (resident_id) WHERE quiet_hours_start IS NOT NULL;

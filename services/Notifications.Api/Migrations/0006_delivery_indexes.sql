-- The worker's due list leaves out letters (the print batch takes those), so that a day of letters waiting for
-- 16:00 is not read past at every look; the claim's WHERE names the same condition.
DROP INDEX notifications_due;
CREATE INDEX notifications_due ON notifications (priority, (coalesce(next_attempt_at, created_at)))
    WHERE status = 'pending' AND channel <> 'letter';
-- Leases that ran out are found without reading the pending ones.
CREATE INDEX notifications_sending ON notifications (claimed_until) WHERE status = 'sending';
-- At most one fallback per notification, however many reports about it arrive.
CREATE UNIQUE INDEX notifications_one_fallback ON notifications (fallback_for) WHERE fallback_for IS NOT NULL;

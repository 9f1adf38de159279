-- Partners' alerts (issue 12): a consultation's closing and a reaction's overdue answer are each announced once, as
-- an event that partners' subscriptions receive. What was closed or overdue before this migration is not announced.
ALTER TABLE consultations ADD COLUMN closing_announced_at timestamptz;
ALTER TABLE reactions ADD COLUMN overdue_announced_at timestamptz;

UPDATE consultations SET closing_announced_at = now() WHERE closes_on < current_date;
UPDATE reactions SET overdue_announced_at = now()
WHERE answer_due_on < current_date AND status IN ('received', 'under-consideration');

CREATE INDEX consultations_closing_unannounced ON consultations (closes_on) WHERE closing_announced_at IS NULL;
CREATE INDEX reactions_overdue_unannounced ON reactions (answer_due_on) WHERE overdue_announced_at IS NULL;

-- The Overlegwet's 14 days for a reasoned answer run from the receipt of the advice (art. 5 lid 2), not from the
-- landlord's decision: answer_due_on is now set when the advice is received, and cleared when the landlord follows it.
-- may_proceed_on keeps the first day a landlord that answered with reasons may go ahead (art. 5 lid 3), because it
-- depends on the declared holidays of the day it was worked out.
ALTER TABLE advice_requests ADD COLUMN may_proceed_on date;

-- Requests recorded under the old rule: the term from receipt, moved past a weekend. The service moves later terms past
-- holidays too; for these few rows a weekend-only move is the closest SQL can say without the holiday rules.
UPDATE advice_requests
SET answer_due_on = (advice_received_on + 14)
        + CASE extract(isodow FROM advice_received_on + 14) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
WHERE advice_received_on IS NOT NULL AND follows_advice IS NOT TRUE;

UPDATE advice_requests
SET may_proceed_on = (answered_on + 3)
        + CASE extract(isodow FROM answered_on + 3) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
WHERE answered_on IS NOT NULL;

-- Days the government declares equal to the generally recognised holidays (Algemene termijnenwet art. 3 lid 3); the
-- operator adds them. Statutory terms ending on one move to the next working day.
CREATE TABLE declared_holidays (
    day       date PRIMARY KEY,
    name      text        NOT NULL,
    added_by  text        NOT NULL,
    added_at  timestamptz NOT NULL
);

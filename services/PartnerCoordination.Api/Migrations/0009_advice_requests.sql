-- Requests for advice under the Overlegwet (art. 3 and 5): a landlord asks a tenants' organisation for advice on a
-- proposal, with at least six weeks to give it; a landlord that departs from the advice answers with reasons within
-- 14 days. The period is checked here too, so that no path around the API stores a shorter one.
CREATE TABLE advice_requests (
    id                              uuid PRIMARY KEY,
    trajectory_id                   uuid        NOT NULL REFERENCES trajectories (id),
    landlord_partner_id             uuid        NOT NULL REFERENCES partners (id),
    tenants_organisation_partner_id uuid        NOT NULL REFERENCES partners (id),
    subject                         text        NOT NULL,
    proposal                        text        NOT NULL,
    sent_on                         date        NOT NULL,
    advice_due_on                   date        NOT NULL CHECK (advice_due_on >= sent_on + 42),
    advice                          text,
    advice_received_on              date,
    follows_advice                  boolean,
    decided_on                      date,
    answer_due_on                   date,
    reasoned_answer                 text,
    answered_on                     date,
    created_at                      timestamptz NOT NULL,
    updated_at                      timestamptz NOT NULL,
    CHECK (follows_advice IS NULL OR advice_received_on IS NOT NULL),
    CHECK (answered_on IS NULL OR follows_advice = false)
);

CREATE INDEX advice_requests_trajectory ON advice_requests (trajectory_id, sent_on);

-- One reminder per request and deadline, to the partner that owes the next step: the check may run any number of
-- times, on any number of instances.
CREATE TABLE advice_reminders (
    advice_request_id    uuid        NOT NULL REFERENCES advice_requests (id),
    deadline             text        NOT NULL CHECK (deadline IN ('advice', 'reasoned-answer')),
    due_on               date        NOT NULL,
    recipient_partner_id uuid        NOT NULL REFERENCES partners (id),
    sent_at              timestamptz NOT NULL,
    PRIMARY KEY (advice_request_id, deadline)
);

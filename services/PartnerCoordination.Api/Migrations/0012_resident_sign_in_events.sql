-- The resident's sign-in history, for their data export (AVG art. 15): when codes were asked and used, wrong tries
-- and locks. Never a code or a hash. Deleted when the resident is erased.
CREATE TABLE resident_sign_in_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id uuid        NOT NULL,
    kind        text        NOT NULL,
    channel     text,
    occurred_at timestamptz NOT NULL
);

CREATE INDEX resident_sign_in_events_resident ON resident_sign_in_events (resident_id, occurred_at);

-- A resident gets at most one phase message per trajectory per day (issue 11, part 3): toggling a trajectory's phase
-- ten times must not write to its residents ten times. phase_day is the Amsterdam day the phase changed; the unique
-- index turns every later phase message of that day into nothing (the insert's ON CONFLICT DO NOTHING). Messages from
-- before this column keep phase_day NULL, which the index does not compare.
ALTER TABLE notifications ADD COLUMN phase_day date;

CREATE UNIQUE INDEX notifications_one_phase_message_a_day
    ON notifications (resident_id, trajectory_id, phase_day) WHERE kind = 'phase-changed' AND phase_day IS NOT NULL;

-- Where a trajectory stands: orientation, plan-making, decision, execution, aftercare.
ALTER TABLE trajectories ADD COLUMN phase text NOT NULL DEFAULT 'orientation';
ALTER TABLE trajectories ADD COLUMN phase_changed_at timestamptz;

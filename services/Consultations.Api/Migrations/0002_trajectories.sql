-- Every consultation belongs to a trajectory; who may see and change it follows the partners' roles there.
ALTER TABLE consultations ADD COLUMN trajectory_id uuid;
CREATE INDEX consultations_trajectory ON consultations (trajectory_id);

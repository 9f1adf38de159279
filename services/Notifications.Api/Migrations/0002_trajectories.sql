-- Notifications are read by the partners of the trajectory they are about, and by no one else.
ALTER TABLE consultations ADD COLUMN trajectory_id uuid;
ALTER TABLE notifications ADD COLUMN trajectory_id uuid;
CREATE INDEX notifications_trajectory ON notifications (trajectory_id, created_at);

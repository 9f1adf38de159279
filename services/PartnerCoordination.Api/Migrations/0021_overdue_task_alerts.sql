-- Partners' alerts (issue 12): a task that passed its due date unfinished is announced once per due date (a task given
-- a later date and missing it again is announced again). Tasks overdue before this migration are not announced.
ALTER TABLE trajectory_tasks ADD COLUMN overdue_announced_for date;

UPDATE trajectory_tasks SET overdue_announced_for = due_date WHERE due_date < current_date AND status IN ('open', 'in-progress');

CREATE INDEX trajectory_tasks_overdue_unannounced ON trajectory_tasks (due_date) WHERE status IN ('open', 'in-progress');

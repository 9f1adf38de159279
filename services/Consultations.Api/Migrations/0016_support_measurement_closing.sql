-- The closing job looks for open measurements past their deadline every minute: only the open ones are indexed.
CREATE INDEX support_measurements_open_by_deadline ON support_measurements (deadline) WHERE closed_at IS NULL;

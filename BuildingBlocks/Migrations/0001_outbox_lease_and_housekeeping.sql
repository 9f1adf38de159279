-- The relay claims a batch with a lease (locked_until, locked_by) in one short transaction, publishes outside any
-- transaction, and marks the batch in another: no transaction stays open while the broker is slow or away.
ALTER TABLE outbox_messages ADD COLUMN locked_until timestamptz;
ALTER TABLE outbox_messages ADD COLUMN locked_by    uuid;

-- A row that cannot be read back (unknown type, a payload that does not fit it) is set aside with its error in
-- last_error, so that the rows after it still go out. It is kept until someone looks at it.
ALTER TABLE outbox_messages ADD COLUMN set_aside_at timestamptz;

DROP INDEX outbox_messages_unpublished;
CREATE INDEX outbox_messages_pending ON outbox_messages (sequence) WHERE published_at IS NULL AND set_aside_at IS NULL;

-- Housekeeping deletes relayed outbox rows and old inbox rows by age.
CREATE INDEX outbox_messages_published ON outbox_messages (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX inbox_messages_processed_at ON inbox_messages (processed_at);

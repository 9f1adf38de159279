-- Transactional outbox: an event is written in the same transaction as the state change it announces,
-- and relayed to RabbitMQ afterwards.
CREATE TABLE outbox_messages (
    id           uuid PRIMARY KEY,
    sequence     bigint GENERATED ALWAYS AS IDENTITY,
    message_type text        NOT NULL,
    payload      jsonb       NOT NULL,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);

CREATE INDEX outbox_messages_unpublished ON outbox_messages (sequence) WHERE published_at IS NULL;

-- Inbox: one row per message a consumer has handled, so that a redelivered message has no second effect.
CREATE TABLE inbox_messages (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);

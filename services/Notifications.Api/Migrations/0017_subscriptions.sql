-- Partners' subscriptions to events of a trajectory (webhooks), and the outbox of their deliveries.
CREATE TABLE webhook_subscriptions (
    id                          uuid PRIMARY KEY,
    partner_id                  uuid        NOT NULL,
    trajectory_id               uuid        NOT NULL,
    callback_url                text        NOT NULL,
    -- The Authorization header value the partner asked the platform to send; never shown again.
    auth_header                 text,
    event_types                 text[]      NOT NULL,
    -- Kept as is: an HMAC needs the secret itself, a hash of it would not do.
    secret                      text        NOT NULL,
    -- The secret before the last rotation, still signing beside the new one until it expires.
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    created_at                  timestamptz NOT NULL
);

CREATE INDEX webhook_subscriptions_trajectory ON webhook_subscriptions (trajectory_id);
CREATE INDEX webhook_subscriptions_partner ON webhook_subscriptions (partner_id, created_at);

-- One CloudEvent as it is sent, byte for byte, to every subscription it goes to.
CREATE TABLE webhook_events (
    id          uuid PRIMARY KEY,
    type        text        NOT NULL,
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- A delivery of one event to one subscription: pending -> delivered | failed (a replay makes it pending again).
CREATE TABLE webhook_deliveries (
    id                uuid PRIMARY KEY,
    subscription_id   uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id          uuid        NOT NULL REFERENCES webhook_events (id),
    status            text        NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL,
    -- A worker's lease while it sends: an attempt that died with its worker is taken up again once this passed.
    claimed_until     timestamptz,
    last_attempt_at   timestamptz,
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz NOT NULL,
    delivered_at      timestamptz,
    UNIQUE (subscription_id, event_id)
);

-- The worker's question: what is due now, across every subscription.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, status, created_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

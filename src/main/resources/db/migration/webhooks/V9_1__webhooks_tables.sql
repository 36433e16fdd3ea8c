-- Webhook subscriptions and their outbox. A delivery row is written in the transaction of the change it reports,
-- one per matching enabled subscription, so a rolled-back change leaves none and a committed one is never lost.
CREATE TABLE webhooks_subscription (
    id                    bigserial PRIMARY KEY,
    url                   text        NOT NULL,
    events                text[]      NOT NULL,
    description           text,
    enabled               boolean     NOT NULL DEFAULT true,
    -- kept as issued: HMAC signing needs the key itself; never returned after creation, never logged
    secret                text        NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    disabled_reason       text,
    failing_since         timestamptz,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE TABLE webhooks_delivery (
    id                   bigserial PRIMARY KEY,
    subscription_id      bigint      NOT NULL REFERENCES webhooks_subscription ON DELETE CASCADE,
    -- the Standard Webhooks message id: the same for every attempt and every subscription of one event
    message_id           text        NOT NULL,
    event_type           text        NOT NULL,
    -- events of one resource reach a subscription in id (= commit) order
    resource_key         text        NOT NULL,
    body                 text        NOT NULL,
    status               text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts             int         NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz,
    last_attempt_at      timestamptz,
    last_response_status int,
    last_response_body   text,
    last_error           text,
    latency_ms           int,
    created_at           timestamptz NOT NULL,
    delivered_at         timestamptz
);

-- pending rows of a subscription in id order: the delivery job walks them to find each resource's first one
CREATE INDEX webhooks_delivery_pending ON webhooks_delivery (subscription_id, id) WHERE status = 'pending';
-- the delivery log, newest first
CREATE INDEX webhooks_delivery_log ON webhooks_delivery (subscription_id, id);

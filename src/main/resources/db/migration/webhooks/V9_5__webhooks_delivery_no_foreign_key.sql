-- The outbox's insert ran a foreign-key check on the subscription row inside every API transaction that raised an
-- event: a KEY SHARE lock on one hot row (a new multixact per event under concurrent writers, each WAL-logged), and a
-- change whose event raced a DELETE of its subscription waited for that delete and then failed with a foreign-key
-- violation: deleting a webhook broke an unrelated lead creation. Deleting a subscription now deletes its deliveries
-- itself and leaves a tombstone; the retention task removes what a change still in flight at that moment wrote.
ALTER TABLE webhooks_delivery DROP CONSTRAINT webhooks_delivery_subscription_id_fkey;

CREATE TABLE webhooks_subscription_deleted (
    id         bigint      PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);

-- Delivery rows are only ever read and written per subscription (the job, the log, redelivery), so the key is
-- (subscription_id, id): one index fewer to keep up on every event's insert and every attempt's update than a key on
-- id beside a separate (subscription_id, id) log index. The outbox's insert runs inside the API's transactions.
CREATE UNIQUE INDEX webhooks_delivery_key ON webhooks_delivery (subscription_id, id);
ALTER TABLE webhooks_delivery DROP CONSTRAINT webhooks_delivery_pkey,
    ADD CONSTRAINT webhooks_delivery_pkey PRIMARY KEY USING INDEX webhooks_delivery_key;
DROP INDEX webhooks_delivery_log;

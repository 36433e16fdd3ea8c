-- Bucket4j token buckets shared by every instance (one row per caller and route group).
CREATE TABLE platform_rate_bucket (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX platform_rate_bucket_expires_at ON platform_rate_bucket (expires_at);

-- API tokens: only a SHA-256 of each secret is kept.
CREATE TABLE platform_api_token (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username    TEXT        NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
    roles       TEXT[]      NOT NULL CHECK (cardinality(roles) > 0),
    token_hash  BYTEA       NOT NULL UNIQUE,
    bootstrap   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by  TEXT,
    revoked_at  TIMESTAMPTZ
);

-- At most one live bootstrap admin token, so two instances starting at once cannot both mint one.
CREATE UNIQUE INDEX platform_api_token_one_bootstrap ON platform_api_token (bootstrap)
    WHERE bootstrap AND revoked_at IS NULL;

-- Spring Modulith's JDBC event publication registry (schema v2 for PostgreSQL).
CREATE TABLE event_publication (
    id                     UUID NOT NULL PRIMARY KEY,
    listener_id            TEXT NOT NULL,
    event_type             TEXT NOT NULL,
    serialized_event       TEXT NOT NULL,
    publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date        TIMESTAMP WITH TIME ZONE,
    status                 TEXT,
    completion_attempts    INT,
    last_resubmission_date TIMESTAMP WITH TIME ZONE
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);

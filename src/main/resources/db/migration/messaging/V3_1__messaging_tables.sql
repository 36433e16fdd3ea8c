-- A conversation. last_seq is the thread's stream position: every message and every edit or delete takes the next
-- number under this row's lock, so per-thread order is decided by PostgreSQL, on any instance.
CREATE TABLE messaging_thread (
    id               UUID        PRIMARY KEY,
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT        NOT NULL,
    last_seq         BIGINT      NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_activity_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE messaging_participant (
    thread_id UUID    NOT NULL REFERENCES messaging_thread (id),
    username  TEXT    NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
    position  INT     NOT NULL,
    -- Read horizon: everything up to this seq counts as read by this participant.
    read_seq  BIGINT  NOT NULL DEFAULT 0 CHECK (read_seq >= 0),
    PRIMARY KEY (thread_id, username),
    UNIQUE (thread_id, position)
);
CREATE INDEX messaging_participant_by_username ON messaging_participant (username, thread_id);

CREATE TABLE messaging_message (
    id          UUID        PRIMARY KEY,
    thread_id   UUID        NOT NULL REFERENCES messaging_thread (id),
    seq         BIGINT      NOT NULL CHECK (seq > 0),
    username    TEXT        NOT NULL,
    body        TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    edited_at   TIMESTAMPTZ,
    deleted_at  TIMESTAMPTZ,
    -- seq of the latest edit or delete, so an SSE client resuming after it learns about the change.
    changed_seq BIGINT,
    CONSTRAINT messaging_message_seq_unique UNIQUE (thread_id, seq),
    -- A tombstone keeps its seq but never its text.
    CONSTRAINT messaging_message_tombstone CHECK ((deleted_at IS NULL) = (body IS NOT NULL))
);
CREATE INDEX messaging_message_changes ON messaging_message (thread_id, changed_seq) WHERE changed_seq IS NOT NULL;

-- Idempotency-Key per sender: the primary key makes a key create at most one message, whichever instance is asked.
CREATE TABLE messaging_idempotency_key (
    username    TEXT        NOT NULL,
    key         TEXT        NOT NULL,
    fingerprint BYTEA       NOT NULL,
    message_id  UUID,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (username, key)
);
CREATE INDEX messaging_idempotency_key_by_age ON messaging_idempotency_key (created_at);

-- Watched GitHub users. login_key is the case-folded login (GitHub logins are case-insensitive).
CREATE TABLE gistwatch_user (
    login_key        TEXT PRIMARY KEY CHECK (login_key = lower(login_key)),
    login            TEXT        NOT NULL CHECK (lower(login) = login_key),
    watched          BOOLEAN     NOT NULL DEFAULT TRUE,
    source           TEXT        NOT NULL CHECK (source IN ('env', 'api')),
    added_at         TIMESTAMPTZ NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'ok', 'not_found', 'rate_limited', 'error')),
    status_detail    TEXT,
    first_scanned_at TIMESTAMPTZ,
    last_scan_at     TIMESTAMPTZ,
    etag             TEXT,
    gist_count       INT         NOT NULL DEFAULT 0
);

-- Every gist ever found. seq gives "first seen" order; inserts are serialised by an advisory lock so that any
-- reader's snapshot holds a prefix of seq, which lets /getGists use seq as a horizon.
CREATE TABLE gistwatch_gist (
    id            TEXT PRIMARY KEY,
    seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    login_key     TEXT        NOT NULL,
    login         TEXT        NOT NULL,
    description   TEXT,
    html_url      TEXT        NOT NULL,
    files         JSONB       NOT NULL,
    created_at    TIMESTAMPTZ,
    first_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX gistwatch_gist_by_login ON gistwatch_gist (login_key, seq);

-- Deal-sync outbox: one row per gist, written in the transaction that stores the gist.
CREATE TABLE gistwatch_deal_sync (
    gist_id         TEXT PRIMARY KEY REFERENCES gistwatch_gist (id),
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'synced', 'failed')),
    claims          INT         NOT NULL DEFAULT 0,
    failures        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    deal_id         BIGINT,
    org_id          BIGINT,
    last_error      TEXT,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (status <> 'synced' OR (deal_id IS NOT NULL AND org_id IS NOT NULL))
);
CREATE INDEX gistwatch_deal_sync_due ON gistwatch_deal_sync (next_attempt_at) WHERE status = 'pending';

-- Pipedrive organization per GitHub login and Pipedrive account; org_id NULL while being resolved.
CREATE TABLE gistwatch_org (
    account     TEXT   NOT NULL,
    login_key   TEXT   NOT NULL,
    org_id      BIGINT,
    resolved_at TIMESTAMPTZ,
    PRIMARY KEY (account, login_key)
);

-- Shared Pipedrive integration state, one row: every instance honours a 401 or a 429 seen by any of them.
CREATE TABLE gistwatch_pipedrive_state (
    id                  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    unauthorized_key    TEXT,
    unauthorized_at     TIMESTAMPTZ,
    paused_until        TIMESTAMPTZ,
    failing_since       TIMESTAMPTZ,
    last_error          TEXT,
    last_success_at     TIMESTAMPTZ
);
INSERT INTO gistwatch_pipedrive_state DEFAULT VALUES;

-- /getGists sessions: only the SHA-256 of the cookie is stored.
CREATE TABLE gistwatch_session (
    token_hash   BYTEA PRIMARY KEY,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX gistwatch_session_idle ON gistwatch_session (last_seen_at);

-- Per session and view ('' = all users, else a login_key): the highest gist seq already shown.
CREATE TABLE gistwatch_session_horizon (
    token_hash BYTEA  NOT NULL REFERENCES gistwatch_session (token_hash) ON DELETE CASCADE,
    view_key   TEXT   NOT NULL,
    horizon    BIGINT NOT NULL,
    PRIMARY KEY (token_hash, view_key)
);

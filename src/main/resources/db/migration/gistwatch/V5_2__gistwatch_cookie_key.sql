-- The key that signs /getGists cookies of sessions not stored yet (a first visit stores nothing). One row, created on
-- first use by whichever instance gets there first, so every instance and every restart accepts the same cookies.
CREATE TABLE gistwatch_cookie_key (
    id  smallint PRIMARY KEY CHECK (id = 1),
    key bytea    NOT NULL
);

-- Signing secrets are stored encrypted (AES-256-GCM, "enc:v1:..."); the key stays outside the database. This row
-- names the key they are encrypted with (an HMAC of a fixed text, which does not reveal it), so an instance given a
-- different key refuses to start instead of signing with secrets it cannot read. One row: the first instance's key.
CREATE TABLE webhooks_secret_key (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    fingerprint text    NOT NULL,
    -- where the key came from (the variable, or the file it was generated into and on which host), for the error
    origin      text    NOT NULL
);

COMMENT ON COLUMN webhooks_subscription.secret IS 'encrypted (enc:v1:), see webhooks_secret_key';

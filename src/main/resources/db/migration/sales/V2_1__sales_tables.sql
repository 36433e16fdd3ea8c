-- Sales CRM: employees, leads (opportunities), customers and the lead history.
CREATE TABLE sales_employee (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    email       TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('SALES_REP', 'ACCOUNT_MANAGER', 'SALES_MANAGER')),
    active      BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX sales_employee_email_key ON sales_employee (lower(email));

CREATE TABLE sales_lead (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    contact_email    TEXT        NOT NULL,
    status           TEXT        NOT NULL
        CHECK (status IN ('New', 'Contacted', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost')),
    expected_revenue NUMERIC CHECK (expected_revenue >= 0 AND scale(expected_revenue) <= 2),
    currency         CHAR(3)     NOT NULL,
    source           TEXT,
    assigned_to      BIGINT      NOT NULL REFERENCES sales_employee (id),
    lost_reason      TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    deleted_at       TIMESTAMPTZ,
    version          BIGINT      NOT NULL DEFAULT 1,
    -- normalised keys for duplicate detection: case-insensitive e-mail, case- and space-insensitive name
    email_key        TEXT GENERATED ALWAYS AS (lower(contact_email)) STORED,
    name_key         TEXT GENERATED ALWAYS AS (lower(regexp_replace(name, '\s+', ' ', 'g'))) STORED
);
-- One open lead per person and name: the duplicate check holds across instances and concurrent requests.
CREATE UNIQUE INDEX sales_lead_open_unique ON sales_lead (email_key, name_key)
    WHERE deleted_at IS NULL AND status NOT IN ('Won', 'Lost');
CREATE INDEX sales_lead_assigned_to ON sales_lead (assigned_to);
CREATE INDEX sales_lead_status ON sales_lead (status) WHERE deleted_at IS NULL;
CREATE INDEX sales_lead_created_at ON sales_lead (created_at);

CREATE TABLE sales_customer (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    contact_email      TEXT        NOT NULL,
    phone_number       TEXT,
    address            TEXT,
    signed_date        DATE        NOT NULL,
    account_manager_id BIGINT      NOT NULL REFERENCES sales_employee (id),
    -- exactly one customer per lead, whatever happens concurrently
    lead_id            BIGINT      UNIQUE REFERENCES sales_lead (id),
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    deleted_at         TIMESTAMPTZ,
    version            BIGINT      NOT NULL DEFAULT 1,
    email_key          TEXT GENERATED ALWAYS AS (lower(contact_email)) STORED
);
CREATE UNIQUE INDEX sales_customer_email_unique ON sales_customer (email_key) WHERE deleted_at IS NULL;
CREATE INDEX sales_customer_account_manager ON sales_customer (account_manager_id);

CREATE TABLE sales_lead_history (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id    BIGINT      NOT NULL REFERENCES sales_lead (id),
    at         TIMESTAMPTZ NOT NULL,
    username   TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    changes    JSONB       NOT NULL
);
CREATE INDEX sales_lead_history_lead ON sales_lead_history (lead_id, id);

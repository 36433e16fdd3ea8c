-- Search (issue 19): words (search_doc) and fragments / typos (search_text, trigram) for employees, leads and
-- customers, kept in step by PostgreSQL as generated columns, so imports and every instance need no extra step.
-- Phone numbers also appear as bare digits, so "987654321" finds "+55 11 98765-4321".
ALTER TABLE sales_employee
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
        to_tsvector('public.relay_search', name || ' ' || email)) STORED,
    ADD COLUMN search_text text GENERATED ALWAYS AS (public.relay_search_text(name || ' ' || email)) STORED;
CREATE INDEX sales_employee_search_doc ON sales_employee USING gin (search_doc);
CREATE INDEX sales_employee_search_text ON sales_employee USING gin (search_text gin_trgm_ops);

ALTER TABLE sales_lead
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
        to_tsvector('public.relay_search', name || ' ' || contact_email || ' ' || coalesce(source, ''))) STORED,
    ADD COLUMN search_text text GENERATED ALWAYS AS (
        public.relay_search_text(name || ' ' || contact_email)) STORED;
CREATE INDEX sales_lead_search_doc ON sales_lead USING gin (search_doc) WHERE deleted_at IS NULL;
CREATE INDEX sales_lead_search_text ON sales_lead USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL;

ALTER TABLE sales_customer
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
        to_tsvector('public.relay_search', name || ' ' || contact_email || ' ' || coalesce(phone_number, '') || ' '
            || coalesce(address, ''))) STORED,
    ADD COLUMN search_text text GENERATED ALWAYS AS (
        public.relay_search_text(name || ' ' || contact_email || ' ' || coalesce(phone_number, '') || ' '
            || regexp_replace(coalesce(phone_number, ''), '[^0-9]', '', 'g'))) STORED;
CREATE INDEX sales_customer_search_doc ON sales_customer USING gin (search_doc) WHERE deleted_at IS NULL;
CREATE INDEX sales_customer_search_text ON sales_customer USING gin (search_text gin_trgm_ops)
    WHERE deleted_at IS NULL;

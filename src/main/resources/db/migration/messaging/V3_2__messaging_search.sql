-- Search (issue 19): the words of every live message, kept in step by PostgreSQL (a tombstone has no body, so no
-- words). Messages are found by words and word prefixes only; fragments and typos are for names and e-mails.
ALTER TABLE messaging_message
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (to_tsvector('public.relay_search', coalesce(body, ''))) STORED;
CREATE INDEX messaging_message_search_doc ON messaging_message USING gin (search_doc) WHERE deleted_at IS NULL;

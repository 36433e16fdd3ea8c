-- The visit list at ten million visits (issue 17): each filter that picks a few visits and each order of the seed's
-- order_by list walks an index and stops at the page's end, instead of scanning and sorting the whole table. Every
-- key ends with the id, the list's tie-breaker, so one index serves both directions of an order. Partial, as every
-- read of the list skips deleted visits.
--
-- Kept up row by row, these seven tripled the time of a first 1M-row import (visit COPY 50 s vs 16-20 s, same load).
-- So an import that dominates the table (the one that already defers the summaries) drops them before its first
-- chunk and builds them again, sorted, in the transaction that marks it finished; the two functions below are the
-- only definition of the set. The PK and the unique id_atendimento index are never dropped: they are invariants.
-- Builds the missing ones only: with all seven present it takes no lock on the visits (a CREATE INDEX IF NOT EXISTS
-- would wait for every writer first).
CREATE FUNCTION fieldservice_create_list_indexes() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    FOR missing IN
        SELECT name, key FROM (VALUES
            ('fieldservice_visit_angel', 'angel_id, id'),
            ('fieldservice_visit_polo', 'polo_id, id'),
            ('fieldservice_visit_cliente', 'id_cliente, id'),
            ('fieldservice_visit_data_limite', 'data_limite, id'),
            ('fieldservice_visit_attended', 'data_de_atendimento, id'),
            ('fieldservice_visit_created', 'created_at, id'),
            ('fieldservice_visit_updated', 'updated_at, id')) AS wanted (name, key)
        WHERE to_regclass(name) IS NULL
    LOOP
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON fieldservice_visit (%s) WHERE deleted_at IS NULL',
                       missing.name, missing.key);
    END LOOP;
END $$;

CREATE FUNCTION fieldservice_drop_list_indexes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP INDEX IF EXISTS fieldservice_visit_angel, fieldservice_visit_polo, fieldservice_visit_cliente,
        fieldservice_visit_data_limite, fieldservice_visit_attended, fieldservice_visit_created,
        fieldservice_visit_updated;
END $$;

SELECT fieldservice_create_list_indexes();

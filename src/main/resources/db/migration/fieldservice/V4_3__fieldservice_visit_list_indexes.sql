-- The visit list at ten million visits (issue 17): each filter that picks a few visits and each order of the seed's
-- order_by list walks an index and stops at the page's end, instead of scanning and sorting the whole table. Every
-- key ends with the id, the list's tie-breaker, so one index serves both directions of an order. Partial, as every
-- read of the list skips deleted visits.
--
-- Kept up row by row, these seven tripled the time of a first 1M-row import (visit COPY 50 s vs 16-20 s, same load).
-- So an import that dominates the table (the one that already defers the summaries) drops them before its first
-- chunk and builds them again, sorted, in the transaction that marks it finished; the two functions below are the
-- only definition of the set. The PK and the unique id_atendimento index are never dropped: they are invariants.
CREATE FUNCTION fieldservice_create_list_indexes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE INDEX IF NOT EXISTS fieldservice_visit_angel ON fieldservice_visit (angel_id, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_polo ON fieldservice_visit (polo_id, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_cliente ON fieldservice_visit (id_cliente, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_data_limite ON fieldservice_visit (data_limite, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_attended ON fieldservice_visit (data_de_atendimento, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_created ON fieldservice_visit (created_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS fieldservice_visit_updated ON fieldservice_visit (updated_at, id) WHERE deleted_at IS NULL;
END $$;

CREATE FUNCTION fieldservice_drop_list_indexes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP INDEX IF EXISTS fieldservice_visit_angel, fieldservice_visit_polo, fieldservice_visit_cliente,
        fieldservice_visit_data_limite, fieldservice_visit_attended, fieldservice_visit_created,
        fieldservice_visit_updated;
END $$;

SELECT fieldservice_create_list_indexes();

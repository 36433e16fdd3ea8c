-- The visit list at ten million visits (issue 17): each filter that picks a few visits and each order of the seed's
-- order_by list walks an index and stops at the page's end, instead of scanning and sorting the whole table. Every
-- key ends with the id, the list's tie-breaker, so one index serves both directions of an order. Partial, as every
-- read of the list skips deleted visits. Each costs the import a share of its table write; docs/PERFORMANCE.md has the
-- measured figures next to the floor (which has these indexes too).
CREATE INDEX fieldservice_visit_angel ON fieldservice_visit (angel_id, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_polo ON fieldservice_visit (polo_id, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_cliente ON fieldservice_visit (id_cliente, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_data_limite ON fieldservice_visit (data_limite, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_attended ON fieldservice_visit (data_de_atendimento, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_created ON fieldservice_visit (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_updated ON fieldservice_visit (updated_at, id) WHERE deleted_at IS NULL;

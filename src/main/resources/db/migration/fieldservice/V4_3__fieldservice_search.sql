-- Search (issue 19): visits are found by their numbers (atendimento and client ids) and by the names of their angel
-- and polo. Angels and polos are few, matched by trigram; the visits of a client or an angel by these indexes.
CREATE INDEX fieldservice_visit_id_cliente ON fieldservice_visit (id_cliente) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_angel ON fieldservice_visit (angel_id, data_limite) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_visit_polo ON fieldservice_visit (polo_id, data_limite) WHERE deleted_at IS NULL;
CREATE INDEX fieldservice_angel_search ON fieldservice_angel USING gin (public.relay_search_text(name) gin_trgm_ops);
CREATE INDEX fieldservice_polo_search ON fieldservice_polo USING gin (public.relay_search_text(name) gin_trgm_ops);

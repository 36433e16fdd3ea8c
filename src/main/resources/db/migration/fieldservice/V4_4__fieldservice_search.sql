-- Search (issue 19): visits are found by their numbers (atendimento and client ids) and by the names of their angel
-- and polo. Angels and polos are few, matched by trigram; the visits of a client, an angel or a polo are then read
-- through the list's indexes of V4_3 (client, angel_id and polo_id, each with the id).
CREATE INDEX fieldservice_angel_search ON fieldservice_angel USING gin (public.relay_search_text(name) gin_trgm_ops);
CREATE INDEX fieldservice_polo_search ON fieldservice_polo USING gin (public.relay_search_text(name) gin_trgm_ops);

-- Import speed (issue 10).
--
-- Clients are an external id only, and nothing reads them but "does this client exist": the registry becomes a view
-- over the visits, so a client exists exactly when a visit names it (created on first use, in the same transaction,
-- never twice, never deleted since visits are only soft-deleted). The table's 570k primary-key inserts were ~20% of
-- a 1M-row import.
DROP TABLE fieldservice_client;
CREATE VIEW fieldservice_client AS SELECT DISTINCT id_cliente FROM fieldservice_visit;
ALTER TABLE fieldservice_visit ADD CONSTRAINT fieldservice_visit_id_cliente_positive CHECK (id_cliente > 0);

-- An import that dominates the table writes its chunks with the summary triggers switched off for its own
-- transactions (SET LOCAL relay.fieldservice_defer_summaries = on) and rebuilds the summaries set-based from the
-- visits in the transaction that marks it finished (per-chunk folding upserted ~40k day groups per 50k rows, nearly
-- one summary write per visit). Decided once per import and kept here so a resumed import makes the same choice.
ALTER TABLE fieldservice_import ADD COLUMN summaries_deferred boolean;

-- Rebuilds the three summaries from the visits. The caller holds SHARE ROW EXCLUSIVE on fieldservice_visit: writers
-- wait (so the result is exact), rebuilds run one at a time, and indicator readers keep reading the old rows until
-- the commit.
CREATE FUNCTION fieldservice_rebuild_summaries() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM fieldservice_visit_day;
    DELETE FROM fieldservice_visit_month;
    DELETE FROM fieldservice_polo_weekday;
    CREATE TEMP TABLE fieldservice_summary_rebuild ON COMMIT DROP AS
        SELECT data_de_atendimento::date AS day, angel_id, polo_id, count(*) AS n,
               count(*) FILTER (WHERE data_de_atendimento::date <= data_limite) AS o
        FROM fieldservice_visit WHERE status = 'DONE' AND deleted_at IS NULL
        GROUP BY 1, 2, 3;
    INSERT INTO fieldservice_visit_day (day, angel_id, polo_id, attended, on_time)
    SELECT day, angel_id, polo_id, n, o FROM fieldservice_summary_rebuild ORDER BY 1, 2, 3;
    INSERT INTO fieldservice_visit_month (month, angel_id, polo_id, attended, on_time)
    SELECT date_trunc('month', day)::date, angel_id, polo_id, sum(n), sum(o) FROM fieldservice_summary_rebuild
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO fieldservice_polo_weekday (polo_id, weekday, attended)
    SELECT polo_id, extract(isodow FROM day)::int, sum(n) FROM fieldservice_summary_rebuild
    GROUP BY 1, 2 ORDER BY 1, 2;
    DROP TABLE fieldservice_summary_rebuild;
END $$;

CREATE OR REPLACE FUNCTION fieldservice_visit_summaries_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('relay.fieldservice_defer_summaries', true) = 'on' THEN
        RETURN NULL;
    END IF;
    WITH delta AS (
        SELECT data_de_atendimento::date AS day, angel_id, polo_id, count(*) AS n,
               count(*) FILTER (WHERE data_de_atendimento::date <= data_limite) AS o
        FROM new_rows WHERE status = 'DONE' AND deleted_at IS NULL
        GROUP BY 1, 2, 3),
    d AS (
        INSERT INTO fieldservice_visit_day AS t (day, angel_id, polo_id, attended, on_time)
        SELECT day, angel_id, polo_id, n, o FROM delta ORDER BY 1, 2, 3
        ON CONFLICT (day, angel_id, polo_id)
            DO UPDATE SET attended = t.attended + EXCLUDED.attended, on_time = t.on_time + EXCLUDED.on_time),
    m AS (
        INSERT INTO fieldservice_visit_month AS t (month, angel_id, polo_id, attended, on_time)
        SELECT date_trunc('month', day)::date, angel_id, polo_id, sum(n), sum(o) FROM delta
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (month, angel_id, polo_id)
            DO UPDATE SET attended = t.attended + EXCLUDED.attended, on_time = t.on_time + EXCLUDED.on_time)
    INSERT INTO fieldservice_polo_weekday AS t (polo_id, weekday, attended)
    SELECT polo_id, extract(isodow FROM day)::int, sum(n) FROM delta GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (polo_id, weekday) DO UPDATE SET attended = t.attended + EXCLUDED.attended;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION fieldservice_visit_summaries_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('relay.fieldservice_defer_summaries', true) = 'on' THEN
        RETURN NULL;
    END IF;
    WITH delta AS (
        SELECT day, angel_id, polo_id, sum(n) AS n, sum(o) AS o
        FROM (SELECT data_de_atendimento::date AS day, angel_id, polo_id, 1 AS n,
                     CASE WHEN data_de_atendimento::date <= data_limite THEN 1 ELSE 0 END AS o
              FROM new_rows WHERE status = 'DONE' AND deleted_at IS NULL
              UNION ALL
              SELECT data_de_atendimento::date, angel_id, polo_id, -1,
                     CASE WHEN data_de_atendimento::date <= data_limite THEN -1 ELSE 0 END
              FROM old_rows WHERE status = 'DONE' AND deleted_at IS NULL) changes
        GROUP BY 1, 2, 3
        HAVING sum(n) <> 0 OR sum(o) <> 0),
    d AS (
        INSERT INTO fieldservice_visit_day AS t (day, angel_id, polo_id, attended, on_time)
        SELECT day, angel_id, polo_id, n, o FROM delta ORDER BY 1, 2, 3
        ON CONFLICT (day, angel_id, polo_id)
            DO UPDATE SET attended = t.attended + EXCLUDED.attended, on_time = t.on_time + EXCLUDED.on_time),
    m AS (
        INSERT INTO fieldservice_visit_month AS t (month, angel_id, polo_id, attended, on_time)
        SELECT date_trunc('month', day)::date, angel_id, polo_id, sum(n), sum(o) FROM delta
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (month, angel_id, polo_id)
            DO UPDATE SET attended = t.attended + EXCLUDED.attended, on_time = t.on_time + EXCLUDED.on_time)
    INSERT INTO fieldservice_polo_weekday AS t (polo_id, weekday, attended)
    SELECT polo_id, extract(isodow FROM day)::int, sum(n) FROM delta GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (polo_id, weekday) DO UPDATE SET attended = t.attended + EXCLUDED.attended;
    RETURN NULL;
END $$;

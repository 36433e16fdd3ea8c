package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Helpers for import tests: upload, then poll the task until it ends. */
public final class ImportSupport {

    private ImportSupport() {}

    public static String upload(ApiClient client, String query, byte[] csv) {
        ApiClient.Response response =
                client.sendBytes("POST", "/api/v1/atendimento/import_csv" + query, "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.get("message").asString()).isEqualTo("CSV file is being processed");
        String taskId = body.get("task_id").asString();
        assertThat(body.get("status_url").asString()).isEqualTo("/api/v1/atendimento/task_status/" + taskId);
        return taskId;
    }

    public static JsonNode await(ApiClient client, String taskId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            ApiClient.Response response = client.get("/api/v1/atendimento/task_status/" + taskId);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode status = response.json();
            String state = status.get("state").asString();
            if (state.equals("SUCCESS") || state.equals("FAILURE")) {
                return status;
            }
            assertThat(Instant.now()).as("import " + taskId + " still " + state).isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static JsonNode importAndWait(ApiClient client, String query, byte[] csv) {
        JsonNode status = await(client, upload(client, query, csv));
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("SUCCESS");
        return status;
    }

    /** "inserted updated unchanged rejected" of a finished import. */
    public static String counts(JsonNode status) {
        JsonNode result = status.get("result");
        return result.get("inserted").asLong() + " " + result.get("updated").asLong() + " "
                + result.get("unchanged").asLong() + " "
                + result.get("rejected").asLong();
    }

    /**
     * Summary rows (day, month, polo/weekday) that differ from a from-scratch recomputation over the visits; rows
     * whose counts are all zero count as absent.
     */
    public static long summaryMismatches(JdbcClient jdbc) {
        return jdbc.sql("""
                        WITH v AS (
                            SELECT data_de_atendimento::date AS day, angel_id, polo_id, count(*) AS n,
                                   count(*) FILTER (WHERE data_de_atendimento::date <= data_limite) AS o
                            FROM fieldservice_visit WHERE status = 'DONE' AND deleted_at IS NULL GROUP BY 1, 2, 3),
                        d AS (SELECT day, angel_id, polo_id, attended AS n, on_time AS o FROM fieldservice_visit_day
                              WHERE attended <> 0 OR on_time <> 0),
                        m AS (SELECT date_trunc('month', day)::date AS month, angel_id, polo_id, sum(n) AS n,
                                     sum(o) AS o FROM v GROUP BY 1, 2, 3),
                        ms AS (SELECT month, angel_id, polo_id, attended AS n, on_time AS o
                               FROM fieldservice_visit_month WHERE attended <> 0 OR on_time <> 0),
                        w AS (SELECT polo_id, extract(isodow FROM day)::int AS weekday, sum(n) AS n FROM v
                              GROUP BY 1, 2),
                        ws AS (SELECT polo_id, weekday, attended AS n FROM fieldservice_polo_weekday
                               WHERE attended <> 0)
                        SELECT (SELECT count(*) FROM ((SELECT * FROM v EXCEPT SELECT * FROM d)
                                    UNION ALL (SELECT * FROM d EXCEPT SELECT * FROM v)) x)
                             + (SELECT count(*) FROM ((SELECT * FROM m EXCEPT SELECT * FROM ms)
                                    UNION ALL (SELECT * FROM ms EXCEPT SELECT * FROM m)) y)
                             + (SELECT count(*) FROM ((SELECT * FROM w EXCEPT SELECT * FROM ws)
                                    UNION ALL (SELECT * FROM ws EXCEPT SELECT * FROM w)) z)""").query(Long.class).single();
    }
}

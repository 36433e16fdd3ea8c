package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.time.Duration;
import java.time.Instant;
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
}

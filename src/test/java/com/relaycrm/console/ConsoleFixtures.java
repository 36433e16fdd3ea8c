package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Sets up sales data through the API for console tests. */
record ConsoleFixtures(ApiClient api) {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    long employee(String name) {
        ApiClient.Response response = api.post(
                "/employees",
                "{\"name\":\"" + name + "\",\"email\":\"" + unique("e") + "@relay.test\",\"role\":\"SALES_REP\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    JsonNode lead(long assignedTo, String name, String revenue, String source) {
        ApiClient.Response response = api.post(
                "/leads",
                "{\"name\":\"" + name + "\",\"contact_email\":\"" + unique("c") + "@client.test\",\"assigned_to\":"
                        + assignedTo + (revenue == null ? "" : ",\"expected_revenue\":" + revenue)
                        + ",\"currency\":\"EUR\",\"source\":\"" + source + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    void status(long leadId, String status) {
        ApiClient.Response response = api.patch("/leads/" + leadId, "{\"status\":\"" + status + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    String token(String username, String role) {
        return issue(username, role).get("token").asString();
    }

    /** A new token's whole creation answer (its id too, for revoking it). */
    JsonNode issue(String username, String role) {
        ApiClient.Response response =
                api.post("/api/v1/tokens", "{\"username\":\"" + username + "\",\"roles\":[\"" + role + "\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** A new thread of these users; its id. */
    String thread(String... users) {
        ApiClient.Response opened = api.post("/thread", "{\"users\":[\"" + String.join("\",\"", users) + "\"]}");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return opened.json().get("thread_id").asString();
    }
}

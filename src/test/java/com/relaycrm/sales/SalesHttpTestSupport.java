package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Helpers to set up employees, leads and customers through the API. */
abstract class SalesHttpTestSupport extends HttpTestSupport {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    protected static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    protected long employee() {
        return employee("SALES_REP");
    }

    protected long employee(String role) {
        String name = unique("emp");
        ApiClient.Response response = api.post(
                "/employees",
                "{\"name\":\"" + name + "\",\"email\":\"" + name + "@relay.test\",\"role\":\"" + role + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    protected JsonNode lead(long assignedTo) {
        String name = unique("lead");
        return lead(assignedTo, name, name + "@client.test");
    }

    protected JsonNode lead(long assignedTo, String name, String email) {
        ApiClient.Response response = api.post(
                "/leads",
                "{\"name\":\"" + name + "\",\"contact_email\":\"" + email + "\",\"assigned_to\":" + assignedTo
                        + ",\"expected_revenue\":1000.50,\"source\":\"web\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    protected ApiClient.Response patchLead(long id, String json) {
        return api.patch("/leads/" + id, json);
    }

    protected ApiClient.Response setStatus(long id, String status) {
        return patchLead(id, "{\"status\":\"" + status + "\"}");
    }

    protected long customerCount(String email) {
        ApiClient.Response response = api.get("/customers?email=" + email);
        assertThat(response.status()).isEqualTo(200);
        return Long.parseLong(response.header("X-Total-Count").orElseThrow());
    }
}

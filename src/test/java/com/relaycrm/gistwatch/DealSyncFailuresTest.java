package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Pipedrive timeouts, 5xx, 429, 401 and 400, each followed by recovery: still exactly one deal per gist. */
class DealSyncFailuresTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();
    static final WireMockServer pipedrive = Fakes.start();

    @Autowired
    Environment environment;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "flaky");
        registry.add("pipetest.piepedrive-api-key", () -> "key-one");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.deal-sync-interval", () -> "PT1H");
        registry.add("relay.gistwatch.retry-backoff", () -> "PT0S");
        registry.add("pipedrive.read-timeout", () -> "PT1S");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
        pipedrive.stop();
    }

    private static JsonNode drain(ApiClient client) {
        ApiClient.Response response = client.post("/api/v1/github/deal-sync", "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String pipedriveState(ApiClient client) {
        return client.get("/actuator/health")
                .json()
                .at("/components/pipedrive/details/state")
                .asString();
    }

    /** Pipedrive create answers that succeeded, per gist marker. */
    private static long successfulCreates(String gistId) {
        return pipedrive.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST")
                        && e.getRequest().getUrl().equals("/v2/deals")
                        && e.getRequest().getBodyAsString().contains("(gist " + gistId + ")"))
                .map(ServeEvent::getResponse)
                .filter(r -> r.getStatus() / 100 == 2)
                .count();
    }

    @Test
    void everyFailureModeRecoversWithExactlyOneDealPerGist() throws Exception {
        Fakes.stubGists(github, "flaky", List.of("f001", "f002", "f003"), "\"e-f-1\"");
        Fakes.stubPipedriveEmpty(pipedrive, 77);
        assertThat(api.post("/api/v1/github/scan", "").json().get("new_gists").asInt())
                .isEqualTo(3);

        // 1. Pipedrive creates f001 but its answer never reaches us (read timeout): unknown outcome.
        pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .withRequestBody(containing("(gist f001)"))
                .atPriority(1)
                .inScenario("f001")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("created")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withFixedDelay(2500)
                        .withTransformers("deal-ids")
                        .withHeader("Content-Type", "application/json")));
        pipedrive.stubFor(get(urlPathEqualTo("/v2/deals/search"))
                .withQueryParam("term", equalTo("f001"))
                .atPriority(1)
                .inScenario("f001")
                .whenScenarioStateIs("created")
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[{\"result_score\":1,\"item\":"
                        + "{\"id\":7001,\"title\":\"flaky: gist f001 of flaky (gist f001)\"}}]}}")));
        StubMapping serverError = pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .atPriority(2)
                .willReturn(aResponse().withStatus(500).withBody("{\"success\":false,\"error\":\"boom\"}")));
        JsonNode first = drain(api);
        assertThat(first.get("retrying").asInt()).isEqualTo(1);
        assertThat(first.get("stopped").asString()).isEqualTo("failing");
        assertThat(pipedriveState(api)).isEqualTo("failing");
        assertThat(api.get("/actuator/health")
                        .json()
                        .at("/components/pipedrive/status")
                        .asString())
                .isEqualTo("UP");

        // 2. Retry: f001 is found by its gist id instead of being created again; f002 meets a 500.
        JsonNode second = drain(api);
        assertThat(second.get("synced").asInt()).isEqualTo(1);
        assertThat(second.get("stopped").asString()).isEqualTo("failing");
        assertThat(api.get("/api/v1/github/gists/f001").json().get("deal_id").asLong())
                .isEqualTo(7001);
        assertThat(Fakes.count(pipedrive, "POST", "/v2/deals")).isEqualTo(2);
        assertThat(api.get("/api/v1/github/gists/f002").json().get("sync_error").asString())
                .contains("500");

        // 3. 429 with retry-after: nothing is sent until it has passed.
        pipedrive.removeStub(serverError);
        StubMapping limited = pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "1")
                        .withBody("{\"success\":false,\"error\":\"Too many requests\"}")));
        assertThat(drain(api).get("stopped").asString()).isEqualTo("rate_limited");
        int afterLimit = pipedrive.getAllServeEvents().size();
        assertThat(drain(api).get("stopped").asString()).isEqualTo("rate_limited");
        assertThat(pipedrive.getAllServeEvents()).hasSize(afterLimit);
        Thread.sleep(1300);

        // 4. 401: marked unauthorized, DOWN in health, and no further call while the key is the same.
        pipedrive.removeStub(limited);
        StubMapping unauthorized = pipedrive.stubFor(any(urlPathMatching("/v2/.*"))
                .atPriority(1)
                .willReturn(
                        aResponse().withStatus(401).withBody("{\"success\":false,\"error\":\"unauthorized access\"}")));
        assertThat(drain(api).get("stopped").asString()).isEqualTo("unauthorized");
        assertThat(pipedriveState(api)).isEqualTo("unauthorized");
        assertThat(api.get("/actuator/health")
                        .json()
                        .at("/components/pipedrive/status")
                        .asString())
                .isEqualTo("DOWN");
        int afterUnauthorized = pipedrive.getAllServeEvents().size();
        pipedrive.removeStub(unauthorized);
        assertThat(drain(api).get("stopped").asString()).isEqualTo("unauthorized");
        assertThat(pipedrive.getAllServeEvents()).hasSize(afterUnauthorized);

        // 5. The key changes (an instance restarted with a new key): sync resumes and finishes, once per gist.
        try (Instances.Instance restarted =
                Instances.start(environment, Map.of("pipetest.piepedrive-api-key", "key-two"))) {
            JsonNode resumed = drain(restarted.api());
            assertThat(resumed.get("synced").asInt()).as(resumed.toString()).isEqualTo(2);
            assertThat(resumed.get("pending_total").asInt()).isZero();
            assertThat(pipedriveState(restarted.api())).isEqualTo("ok");
            for (String id : List.of("f001", "f002", "f003")) {
                assertThat(successfulCreates(id)).as(id).isEqualTo(1);
            }
            assertThat(jdbc.sql("SELECT count(DISTINCT deal_id) FROM gistwatch_deal_sync WHERE status = 'synced'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(3);
            assertThat(pipedrive.getAllServeEvents().stream()
                            .filter(e -> e.getRequest().getUrl().startsWith("/v2/deals")
                                    && e.getRequest().getMethod().getName().equals("POST"))
                            .map(e -> e.getRequest().getHeader("x-api-token"))
                            .toList())
                    .contains("key-one", "key-two");

            // 6. Any other 4xx fails that gist with the error, visible, until an operator retries it.
            Fakes.stubGists(github, "flaky", List.of("f001", "f002", "f003", "f004"), "\"e-f-2\"");
            assertThat(restarted
                            .api()
                            .post("/api/v1/github/scan?login=flaky", "")
                            .json()
                            .get("new_gists")
                            .asInt())
                    .isEqualTo(1);
            StubMapping rejected = pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                    .withRequestBody(containing("(gist f004)"))
                    .atPriority(1)
                    .willReturn(aResponse()
                            .withStatus(400)
                            .withBody("{\"success\":false,\"error\":\"Validation failed: title\",\"data\":null}")));
            assertThat(drain(restarted.api()).get("failed").asInt()).isEqualTo(1);
            JsonNode failed = restarted.api().get("/api/v1/github/gists/f004").json();
            assertThat(failed.get("sync_status").asString()).isEqualTo("failed");
            assertThat(failed.get("sync_error").asString()).contains("400", "Validation failed: title");
            assertThat(restarted
                            .api()
                            .get("/api/v1/github/gists?sync_status=failed")
                            .json())
                    .hasSize(1);
            assertThat(drain(restarted.api()).get("failed").asInt()).isZero();
            pipedrive.removeStub(rejected);

            ApiClient.Response retried = restarted.api().post("/api/v1/github/gists/f004/retry", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(202);
            assertThat(retried.json().get("sync_status").asString()).isEqualTo("pending");
            assertThat(drain(restarted.api()).get("synced").asInt()).isEqualTo(1);
            assertThat(successfulCreates("f004")).isEqualTo(1);
            assertProblem(restarted.api().post("/api/v1/github/gists/f004/retry", ""), 409);
        }
    }
}

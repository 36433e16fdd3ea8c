package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The rest of the Pipedrive fault matrix (timeouts, 5xx, 429 with retry-after, 401 and 400 are in
 * DealSyncFailuresTest): a deal created upstream whose answer arrives garbled, truncated or not at all is found by
 * search on the next pass instead of being created again; a 429 without retry-after holds every call for a while.
 */
class PipedriveFaultsTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();
    static final WireMockServer pipedrive = Fakes.start();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "garbled");
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

    private JsonNode drain() {
        ApiClient.Response response = api.post("/api/v1/github/deal-sync", "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** The create for this gist reaches Pipedrive and succeeds there, but its answer is {@code answer}. */
    private static void createdButAnswered(String gist, long dealId, ResponseDefinitionBuilder answer) {
        pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .withRequestBody(containing("(gist " + gist + ")"))
                .atPriority(1)
                .inScenario(gist)
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("created")
                .willReturn(answer));
        pipedrive.stubFor(get(urlPathEqualTo("/v2/deals/search"))
                .withQueryParam("term", equalTo(gist))
                .atPriority(1)
                .inScenario(gist)
                .whenScenarioStateIs("created")
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[{\"result_score\":1,\"item\":{\"id\":"
                        + dealId + ",\"title\":\"garbled: gist " + gist + " (gist " + gist + ")\"}}]}}")));
    }

    @Test
    void unreadableAnswersLeaveExactlyOneDealPerGistAndA429WithoutRetryAfterHoldsCalls() throws Exception {
        List<String> gists = List.of("p001", "p002", "p003", "p004", "p005");
        Fakes.stubGists(github, "garbled", gists, "\"e-p\"");
        Fakes.stubPipedriveEmpty(pipedrive, 88);
        assertThat(api.post("/api/v1/github/scan", "").json().get("new_gists").asInt())
                .isEqualTo(gists.size());
        createdButAnswered(
                "p001",
                9001,
                aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{not json"));
        createdButAnswered(
                "p002",
                9002,
                aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"success\":true,\"data\":{\"id\":90"));
        createdButAnswered("p003", 9003, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
        createdButAnswered("p004", 9004, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        for (int pass = 0; pass < 10; pass++) {
            JsonNode result = drain();
            assertThat(result.has("stopped") ? result.get("stopped").asString() : "")
                    .isNotEqualTo("unauthorized");
            if (result.get("pending_total").asInt() == 0) {
                break;
            }
        }
        for (int i = 1; i <= 4; i++) {
            JsonNode gist = api.get("/api/v1/github/gists/p00" + i).json();
            assertThat(gist.get("deal_id").asLong()).as(gist.toString()).isEqualTo(9000 + i);
        }
        assertThat(api.get("/api/v1/github/gists/p005").json().has("deal_id")).isTrue();
        for (String gist : gists) {
            long creates = pipedrive.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getMethod().getName().equals("POST")
                            && e.getRequest().getUrl().equals("/v2/deals")
                            && e.getRequest().getBodyAsString().contains("(gist " + gist + ")"))
                    .count();
            // a reset GET/POST may be repeated once by the JDK client before any answer; never more
            assertThat(creates).as("creates sent for " + gist).isBetween(1L, 2L);
        }

        // 429 with neither retry-after nor x-ratelimit-reset: no calls for the default wait, then recovery.
        Fakes.stubGists(github, "garbled", List.of("p001", "p002", "p003", "p004", "p005", "p006"), "\"e-p2\"");
        assertThat(api.post("/api/v1/github/scan", "").json().get("new_gists").asInt())
                .isEqualTo(1);
        StubMapping limited = pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"success\":false,\"error\":\"Too many requests\"}")));
        assertThat(drain().get("stopped").asString()).isEqualTo("rate_limited");
        int afterLimit = pipedrive.getAllServeEvents().size();
        assertThat(drain().get("stopped").asString()).isEqualTo("rate_limited");
        assertThat(pipedrive.getAllServeEvents()).as("no call while held").hasSize(afterLimit);
        pipedrive.removeStub(limited);
        Thread.sleep(2500);
        JsonNode resumed = drain();
        assertThat(resumed.get("synced").asInt()).as(resumed.toString()).isEqualTo(1);
        assertThat(api.get("/api/v1/github/gists/p006").json().has("deal_id")).isTrue();
    }
}

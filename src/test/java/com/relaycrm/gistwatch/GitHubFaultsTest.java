package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The rest of the GitHub fault matrix for scans (timeouts, 5xx, malformed JSON and 429 with retry-after are in
 * GistWatchHttpTest and GitHubRateLimitTest): truncated and broken bodies, resets, and a 429 without retry-after.
 * Each costs one request, leaves the user in an error state, and the next good answer records every gist once.
 */
// The 429 pauses every GitHub request of this instance for a minute: it runs last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitHubFaultsTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipetest.queried-users", () -> "");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("github.read-timeout", () -> "PT1S");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
    }

    private JsonNode scan(String login) {
        ApiClient.Response response = api.post("/api/v1/github/scan?login=" + login, "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private long gists(String login) {
        return jdbc.sql("SELECT count(*) FROM gistwatch_gist WHERE login_key = ?")
                .param(login)
                .query(Long.class)
                .single();
    }

    @Test
    @Order(1)
    void brokenAnswersAreOneErrorEachAndTheNextGoodScanRecordsEveryGistOnce() {
        String login = "broken-body";
        assertThat(api.post("/api/v1/github/watched-users", "{\"login\":\"" + login + "\"}")
                        .status())
                .isEqualTo(201);
        String full = Fakes.gists(login, List.of("b001", "b002"));
        List<ResponseDefinitionBuilder> faults = List.of(
                // a body cut short, with a Content-Length that matches what was sent
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(full.substring(0, full.length() / 2)),
                aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withFault(Fault.EMPTY_RESPONSE),
                aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
                aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html>unavailable</html>"));
        int requests = 0;
        for (ResponseDefinitionBuilder fault : faults) {
            github.resetAll();
            github.stubFor(get(urlPathEqualTo("/users/" + login + "/gists")).willReturn(fault));
            JsonNode outcome = scan(login);
            assertThat(outcome.get("statuses").get("error").asInt())
                    .as(fault.build().toString())
                    .isEqualTo(1);
            assertThat(github.getAllServeEvents()).as("no retry storm").hasSize(1);
            requests++;
            JsonNode user = api.get("/api/v1/github/watched-users/" + login).json();
            assertThat(user.get("status").asString()).isEqualTo("error");
            assertThat(gists(login)).isZero();
        }
        assertThat(requests).isEqualTo(faults.size());

        github.resetAll();
        Fakes.stubGists(github, login, List.of("b001", "b002"), "\"e-b\"");
        assertThat(scan(login).get("new_gists").asInt()).isEqualTo(2);
        assertThat(scan(login).get("new_gists").asInt()).isZero();
        assertThat(gists(login)).isEqualTo(2);
        assertThat(api.get("/api/v1/github/watched-users/" + login)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("ok");
    }

    @Test
    @Order(2)
    void a429WithoutRetryAfterPausesGitHubInsteadOfRetrying() {
        String login = "limited-no-header";
        assertThat(api.post("/api/v1/github/watched-users", "{\"login\":\"" + login + "\"}")
                        .status())
                .isEqualTo(201);
        github.stubFor(get(urlPathEqualTo("/users/" + login + "/gists"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit\"}")));
        int before = Fakes.gistRequests(github, login);
        assertThat(scan(login).get("statuses").get("rate_limited").asInt()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(scan(login).get("statuses").get("rate_limited").asInt()).isEqualTo(1);
        }
        assertThat(Fakes.gistRequests(github, login))
                .as("one request; then a pause of at least a minute")
                .isEqualTo(before + 1);
        assertThat(api.get("/api/v1/github/watched-users/" + login)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("rate_limited");
    }
}

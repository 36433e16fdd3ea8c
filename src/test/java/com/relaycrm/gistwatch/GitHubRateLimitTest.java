package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Once GitHub says the limit is spent, no request leaves until the reset: no retry storm. */
class GitHubRateLimitTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("github.token", () -> "ghp_test_token");
        registry.add("pipetest.queried-users", () -> "rl-a,rl-b,rl-c");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
    }

    private JsonNode scanAll() {
        var response = api.post("/api/v1/github/scan", "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void primaryAndSecondaryLimitsPauseAllRequestsUntilTheyPass() throws Exception {
        long reset = System.currentTimeMillis() / 1000 + 8;
        StubMapping exhausted = github.stubFor(get(urlPathMatching("/users/.*/gists"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-ratelimit-limit", "5000")
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader("x-ratelimit-used", "5000")
                        .withHeader("x-ratelimit-reset", String.valueOf(reset))
                        .withHeader("x-ratelimit-resource", "core")
                        .withBody("{\"message\":\"API rate limit exceeded\"}")));

        assertThat(api.post("/api/v1/github/scan?login=rl-a", "")
                        .json()
                        .get("statuses")
                        .get("rate_limited")
                        .asInt())
                .isEqualTo(1);
        assertThat(github.getAllServeEvents()).hasSize(1);
        assertThat(scanAll().get("statuses").get("rate_limited").asInt()).isEqualTo(3);
        assertThat(github.getAllServeEvents().getFirst().getRequest().getHeader("Authorization"))
                .isEqualTo("Bearer ghp_test_token");
        // Scans keep coming; GitHub hears nothing from us.
        for (int i = 0; i < 3; i++) {
            scanAll();
        }
        assertThat(github.getAllServeEvents()).hasSize(1);
        JsonNode user = api.get("/api/v1/github/watched-users/rl-b").json();
        assertThat(user.get("status").asString()).isEqualTo("rate_limited");
        JsonNode health = api.get("/actuator/health").json().at("/components/github/details");
        assertThat(health.get("rate_limit_remaining").asInt()).isZero();
        assertThat(health.get("paused_until").asString()).isNotBlank();
        assertThat(health.get("authenticated").asBoolean()).isTrue();

        // After the reset, scanning resumes.
        github.removeStub(exhausted);
        Fakes.stubGists(github, "rl-a", List.of("r001"), "\"e-a\"");
        Fakes.stubGists(github, "rl-b", List.of("r002"), "\"e-b\"");
        Fakes.stubGists(github, "rl-c", List.of("r003"), "\"e-c\"");
        while (System.currentTimeMillis() / 1000 <= reset) {
            Thread.sleep(200);
        }
        Thread.sleep(300);
        JsonNode resumed = scanAll();
        assertThat(resumed.get("statuses").get("ok").asInt()).isEqualTo(3);
        assertThat(github.getAllServeEvents()).hasSize(4);

        // Secondary limit: retry-after is honoured the same way.
        StubMapping secondary = github.stubFor(get(urlPathMatching("/users/.*/gists"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "2")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit\"}")));
        assertThat(api.post("/api/v1/github/scan?login=rl-c", "")
                        .json()
                        .get("statuses")
                        .get("rate_limited")
                        .asInt())
                .isEqualTo(1);
        assertThat(github.getAllServeEvents()).hasSize(5);
        assertThat(scanAll().get("statuses").get("rate_limited").asInt()).isEqualTo(3);
        assertThat(github.getAllServeEvents()).hasSize(5);
        github.removeStub(secondary);
        Thread.sleep(2300);
        // Unchanged lists now: three conditional requests, all 304.
        JsonNode after = scanAll();
        assertThat(after.get("statuses").get("ok").asInt()).isEqualTo(3);
        assertThat(github.getAllServeEvents()).hasSize(8);
        assertThat(github.getAllServeEvents().subList(0, 3))
                .allSatisfy(e -> assertThat(e.getResponse().getStatus()).isEqualTo(304));
    }
}

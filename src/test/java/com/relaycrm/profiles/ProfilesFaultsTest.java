package com.relaycrm.profiles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.relaycrm.integrations.UpstreamPauses;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rest of the upstream fault matrix for profiles (5xx, timeouts and 429 with retry-after are in
 * ProfilesHttpTest): malformed JSON, truncated bodies, broken connections and 429 without retry-after. A broken
 * provider is one "error" source in a 200 (or a 502 when both are broken), never a 500, costs no retries, and is not
 * cached: the next call after recovery is whole.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfilesFaultsTest extends HttpTestSupport {

    static final UpstreamFakes fakes = new UpstreamFakes().start();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", fakes::githubUrl);
        registry.add("github.read-timeout", () -> "3s");
        registry.add("bitbucket.api-url", fakes::bitbucketUrl);
        registry.add("bitbucket.request-timeout", () -> "3s");
        registry.add("relay.profiles.provider-timeout", () -> "8s");
    }

    @AfterAll
    static void stopFakes() {
        fakes.github.stop();
        fakes.bitbucket.stop();
    }

    @Autowired
    UpstreamPauses pauses;

    @BeforeEach
    void resetFakes() {
        fakes.reset();
        pauses.clear();
    }

    private static final String REPOS = "[{\"name\":\"alpha\",\"fork\":false,\"stargazers_count\":3,";

    private static Map<String, ResponseDefinitionBuilder> brokenBodies() {
        return Map.of(
                "malformed",
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{not json"),
                "truncated",
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(REPOS),
                "chunk",
                aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                "reset",
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                "empty",
                aResponse().withFault(Fault.EMPTY_RESPONSE));
    }

    private ApiClient.Response aggregate(String name) {
        return api.post("/api/v1/aggregate", "{\"username\": \"" + name + "\"}");
    }

    private static int requests(WireMockServer server, String name) {
        return server.countRequestsMatching(anyRequestedFor(urlPathMatching(".*/" + name + "(/.*)?"))
                        .build())
                .getCount();
    }

    private void healthy(String name) {
        fakes.githubUser(name, 4, 0, List.of(ghRepo("alpha", false, 3, 1, 10, "Java")));
        fakes.bitbucketWorkspace(name, List.of(bbRepo("one", false, 2, 1024, "java")), 100);
    }

    @Test
    @Order(1)
    void aBrokenGitHubBodyIsAnErrorSourceAndTheNextCallIsWhole() {
        brokenBodies().forEach((kind, answer) -> {
            String name = "gh-" + kind;
            fakes.bitbucketWorkspace(name, List.of(bbRepo("one", false, 2, 1024, "java")), 100);
            fakes.githubAnswers(name, answer);
            ApiClient.Response partial = aggregate(name);
            assertThat(partial.status()).as(kind + ": " + partial.body()).isEqualTo(200);
            assertThat(partial.json().at("/sources/github/status").asString()).isEqualTo("error");
            assertThat(partial.json().at("/sources/bitbucket/status").asString())
                    .isEqualTo("ok");
            // three endpoints; the JDK client repeats a GET once when the connection breaks before an answer
            assertThat(requests(fakes.github, name))
                    .as(kind + ": no retry storm")
                    .isBetween(1, 6);

            fakes.reset();
            healthy(name);
            ApiClient.Response whole = aggregate(name);
            assertThat(whole.status()).as(kind + ": " + whole.body()).isEqualTo(200);
            assertThat(whole.json().at("/sources/github/status").asString()).isEqualTo("ok");
            assertThat(whole.json().at("/arg-data/watcher_count").asLong()).isEqualTo(5);
        });
    }

    @Test
    @Order(2)
    void aBrokenBitbucketBodyIsAnErrorSourceAndBothBrokenIs502() {
        brokenBodies().forEach((kind, answer) -> {
            String name = "bb-" + kind;
            fakes.githubUser(name, 4, 0, List.of(ghRepo("alpha", false, 3, 1, 10, "Java")));
            fakes.bitbucketAnswers(name, answer);
            ApiClient.Response partial = aggregate(name);
            assertThat(partial.status()).as(kind + ": " + partial.body()).isEqualTo(200);
            assertThat(partial.json().at("/sources/bitbucket/status").asString())
                    .isEqualTo("error");
            assertThat(partial.json().at("/arg-data/watcher_count").asLong()).isEqualTo(3);
            assertThat(requests(fakes.bitbucket, name))
                    .as(kind + ": no retry storm")
                    .isBetween(1, 2);

            String both = "both-" + kind;
            fakes.githubAnswers(both, answer);
            fakes.bitbucketAnswers(both, answer);
            assertProblem(aggregate(both), 502);
        });
    }

    @Test
    @Order(3)
    void a429WithoutRetryAfterIsRateLimitedWithADefaultWait() {
        // Bitbucket: no retry-after, so the client assumes a minute.
        fakes.githubUser("bb-429", 4, 0, List.of(ghRepo("alpha", false, 3, 1, 10, "Java")));
        fakes.bitbucketAnswers(
                "bb-429",
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"message\":\"Rate limit exceeded\"}}"));
        ApiClient.Response partial = aggregate("bb-429");
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        assertThat(partial.json().at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
        assertThat(partial.json().at("/sources/bitbucket/retry_after_seconds").asLong())
                .isBetween(50L, 60L);
        assertThat(requests(fakes.bitbucket, "bb-429")).isEqualTo(1);

        pauses.clear(); // Bitbucket's one-minute pause would make the next scenario "both rate limited"
        // GitHub: a secondary limit without retry-after waits at least a minute too.
        fakes.githubAnswers(
                "gh-429",
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit.\"}"));
        fakes.bitbucketWorkspace("gh-429", List.of(bbRepo("one", false, 2, 1024, "java")), 100);
        ApiClient.Response limited = aggregate("gh-429");
        assertThat(limited.status()).as(limited.body()).isEqualTo(200);
        assertThat(limited.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(limited.json().at("/sources/github/retry_after_seconds").asLong())
                .isGreaterThanOrEqualTo(50L);
        assertThat(requests(fakes.github, "gh-429")).isBetween(1, 3);

        // Within that minute GitHub hears nothing more from this instance, even when asked to refresh.
        int before = requests(fakes.github, "gh-429");
        ApiClient.Response again = api.post("/api/v1/aggregate", "{\"username\": \"gh-429\", \"refresh\": true}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(again.json().at("/sources/github/retry_after_seconds").asLong())
                .isGreaterThanOrEqualTo(50L);
        assertThat(requests(fakes.github, "gh-429")).isEqualTo(before);
    }
}

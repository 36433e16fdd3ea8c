package com.relaycrm.profiles;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.bitbucketRateLimited;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;
import static com.relaycrm.profiles.UpstreamFakes.githubRateLimited;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.relaycrm.integrations.UpstreamPauses;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How profiles pace their upstream traffic, observed at the fakes. Rate limits pause a provider for the whole
 * instance: once GitHub or Bitbucket refused us, no request reaches it (from any profile, nor from the gist scanner
 * for GitHub) until the reset it gave, and then requests resume. Providers are fetched in parallel, Bitbucket's
 * watcher calls overlap the page chain, and page caps end endless chains.
 */
class ProfilesUpstreamTrafficTest extends HttpTestSupport {

    static final UpstreamFakes fakes = new UpstreamFakes().start();

    @Autowired
    UpstreamPauses pauses;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", fakes::githubUrl);
        registry.add("bitbucket.api-url", fakes::bitbucketUrl);
        registry.add("bitbucket.watchers-concurrency", () -> "4");
        registry.add("github.page-cap", () -> "3");
        registry.add("bitbucket.page-cap", () -> "3");
        registry.add("pipetest.queried-users", () -> "gist-user");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
    }

    @AfterAll
    static void stopFakes() {
        fakes.github.stop();
        fakes.bitbucket.stop();
    }

    @BeforeEach
    void resetFakes() {
        fakes.reset();
        pauses.clear();
    }

    private ApiClient.Response aggregate(String name, boolean refresh) {
        return api.post("/api/v1/aggregate", "{\"username\": \"" + name + "\", \"refresh\": " + refresh + "}");
    }

    private static int requests(WireMockServer server, String name) {
        return server.countRequestsMatching(anyRequestedFor(urlPathMatching(".*/" + name + "(/.*)?"))
                        .build())
                .getCount();
    }

    private static void developer(String name) {
        fakes.githubUser(name, 4, 0, List.of(ghRepo("alpha", false, 3, 1, 10, "Java")));
        fakes.bitbucketWorkspace(name, List.of(bbRepo("one", false, 2, 1024, "java")), 100);
    }

    /** Sleeps until the pause this instance keeps for {@code upstream} is over (at most 15 s). */
    private void waitForTheEndOfThePause(UpstreamPauses.Upstream upstream) throws InterruptedException {
        Instant until = pauses.pausedUntil(upstream).orElseThrow();
        assertThat(until).isBefore(Instant.now().plusSeconds(15));
        while (pauses.pausedUntil(upstream).isPresent()) {
            Thread.sleep(100);
        }
    }

    @Test
    void aGitHubLimitPausesEveryGitHubRequestOfThisInstanceUntilTheReset() throws Exception {
        long reset = Instant.now().getEpochSecond() + 4;
        fakes.githubAnswers("first", githubRateLimited(reset));
        fakes.bitbucketWorkspace("first", List.of(bbRepo("one", false, 2, 1024, "java")), 100);
        ApiClient.Response first = aggregate("first", false);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(first.json().at("/sources/github/retry_after_seconds").asLong())
                .isBetween(1L, 5L);
        // account, repositories and starred leave together; none is repeated
        assertThat(requests(fakes.github, "first")).isBetween(1, 3);

        // Another name, a refresh, and the gist scanner: GitHub hears nothing until the reset.
        developer("second");
        ApiClient.Response second = aggregate("second", true);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(second.json().at("/sources/bitbucket/status").asString()).isEqualTo("ok");
        assertThat(aggregate("first", true).json().at("/sources/github/status").asString())
                .isEqualTo("rate_limited");
        ApiClient.Response scan = api.post("/api/v1/github/scan?login=gist-user", "");
        assertThat(scan.status()).as(scan.body()).isEqualTo(200);
        assertThat(scan.json().at("/statuses/rate_limited").asInt()).isEqualTo(1);
        assertThat(requests(fakes.github, "second")).isZero();
        assertThat(requests(fakes.github, "gist-user")).isZero();
        assertThat(requests(fakes.github, "first")).isBetween(1, 3);

        // Both providers limited: 429 with the earlier of the two resets.
        fakes.githubUser("third", 4, 0, List.of());
        fakes.bitbucketAnswers("third", bitbucketRateLimited(30));
        ApiClient.Response both = aggregate("third", false);
        var problem = assertProblem(both, 429);
        assertThat(Long.parseLong(both.header("Retry-After").orElseThrow())).isBetween(1L, 5L);
        assertThat(problem.at("/sources/bitbucket/retry_after_seconds").asLong())
                .isBetween(25L, 30L);
        assertThat(requests(fakes.github, "third")).isZero();

        // After the reset GitHub is asked again (Bitbucket's 30 s pause still answers for Bitbucket).
        waitForTheEndOfThePause(UpstreamPauses.Upstream.GITHUB);
        ApiClient.Response resumed = aggregate("second", true);
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().at("/sources/github/status").asString()).isEqualTo("ok");
        assertThat(resumed.json().at("/arg-data/followers_count").asLong()).isEqualTo(4);
        assertThat(requests(fakes.github, "second")).isEqualTo(3);
    }

    @Test
    void aGitHubSecondaryLimitHonoursRetryAfter() throws Exception {
        fakes.githubAnswers(
                "busy",
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "2")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit.\"}"));
        fakes.bitbucketWorkspace("busy", List.of(bbRepo("one", false, 2, 1024, "java")), 100);
        ApiClient.Response limited = aggregate("busy", false);
        assertThat(limited.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(limited.json().at("/sources/github/retry_after_seconds").asLong())
                .isBetween(1L, 2L);
        int sent = requests(fakes.github, "busy");
        assertThat(aggregate("busy", true).json().at("/sources/github/status").asString())
                .isEqualTo("rate_limited");
        assertThat(requests(fakes.github, "busy")).isEqualTo(sent);

        fakes.reset();
        developer("busy");
        waitForTheEndOfThePause(UpstreamPauses.Upstream.GITHUB);
        ApiClient.Response resumed = aggregate("busy", true);
        assertThat(resumed.json().at("/sources/github/status").asString()).isEqualTo("ok");
        assertThat(requests(fakes.github, "busy")).isEqualTo(3);
    }

    @Test
    void aBitbucketLimitPausesBitbucketUntilRetryAfterWithoutRetryingWatchers() throws Exception {
        fakes.githubUser("watched", 4, 0, List.of(ghRepo("alpha", false, 3, 1, 10, "Java")));
        fakes.bitbucketWorkspace(
                "watched",
                List.of(bbRepo("a", false, 1, 1, "go"), bbRepo("b", false, 1, 1, "go"), bbRepo("c", false, 1, 1, "go")),
                100);
        fakes.bitbucket.stubFor(get(urlPathMatching("/repositories/watched/.*/watchers"))
                .atPriority(1)
                .willReturn(bitbucketRateLimited(2)));
        ApiClient.Response limited = aggregate("watched", false);
        assertThat(limited.status()).as(limited.body()).isEqualTo(200);
        assertThat(limited.json().at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
        assertThat(limited.json().at("/sources/bitbucket/retry_after_seconds").asLong())
                .isBetween(1L, 2L);
        assertThat(limited.json().at("/sources/github/status").asString()).isEqualTo("ok");
        // one page and at most one call per repository: nothing retried
        assertThat(requests(fakes.bitbucket, "watched")).isBetween(2, 4);

        developer("other");
        ApiClient.Response other = aggregate("other", false);
        assertThat(other.json().at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
        assertThat(requests(fakes.bitbucket, "other")).isZero();

        waitForTheEndOfThePause(UpstreamPauses.Upstream.BITBUCKET);
        ApiClient.Response resumed = aggregate("other", true);
        assertThat(resumed.json().at("/sources/bitbucket/status").asString()).isEqualTo("ok");
        assertThat(resumed.json().at("/arg-data/watcher_count").asLong()).isEqualTo(3 + 2);
        assertThat(requests(fakes.bitbucket, "other")).isEqualTo(2);
    }

    @Test
    void watcherCallsOfAPageStartWhileTheNextPageIsStillComing() {
        fakes.githubMissing("piped");
        List<UpstreamFakes.BbRepo> repos = IntStream.range(0, 6)
                .mapToObj(i -> bbRepo("r" + i, false, i, 1, "go"))
                .toList();
        fakes.bitbucketWorkspace("piped", repos, 3);
        int delay = 1500;
        fakes.bitbucket.stubFor(get(urlPathEqualTo("/repositories/piped"))
                .withQueryParam("page", equalTo("2"))
                .atPriority(1)
                .willReturn(UpstreamFakes.bbJson(fakes.bbPage("piped", repos.subList(3, 6), 2, ""))
                        .withFixedDelay(delay)));
        ApiClient.Response response = aggregate("piped", false);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(15);

        List<ServeEvent> events = fakes.bitbucket.getAllServeEvents();
        Date secondPageAnswered = events.stream()
                .filter(e -> e.getRequest().getUrl().matches("/repositories/piped\\?.*page=2.*"))
                .map(e -> new Date(e.getRequest().getLoggedDate().getTime() + delay))
                .findFirst()
                .orElseThrow();
        List<Date> firstPageWatchers = events.stream()
                .filter(e -> e.getRequest().getUrl().matches("/repositories/piped/r[012]/watchers.*"))
                .map(e -> e.getRequest().getLoggedDate())
                .toList();
        assertThat(firstPageWatchers).hasSize(3).allSatisfy(at -> assertThat(at).isBefore(secondPageAnswered));
    }

    @Test
    void bothProvidersAreAskedAtOnce() {
        int delay = 1500;
        developer("both-at-once");
        fakes.github.setGlobalFixedDelay(delay);
        fakes.bitbucket.setGlobalFixedDelay(delay);
        try {
            ApiClient.Response response = aggregate("both-at-once", false);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        } finally {
            fakes.github.setGlobalFixedDelay(0);
            fakes.bitbucket.setGlobalFixedDelay(0);
        }
        Date firstGitHubRequest = first(fakes.github);
        Date firstBitbucketRequest = first(fakes.bitbucket);
        // the second provider was asked before the first one could have answered anything
        assertThat(firstBitbucketRequest).isBefore(new Date(firstGitHubRequest.getTime() + delay));
        assertThat(firstGitHubRequest).isBefore(new Date(firstBitbucketRequest.getTime() + delay));
        // GitHub's account, repositories and starred count left together too
        Date lastOfTheThree = fakes.github.getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate())
                .max(Date::compareTo)
                .orElseThrow();
        assertThat(lastOfTheThree).isBefore(new Date(firstGitHubRequest.getTime() + delay));
    }

    private static Date first(WireMockServer server) {
        return server.getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate())
                .min(Date::compareTo)
                .orElseThrow();
    }

    @Test
    void endlessPageChainsStopAtTheCap() {
        String name = "endless-chain";
        List<UpstreamFakes.GhRepo> gh = IntStream.range(0, 5)
                .mapToObj(i -> ghRepo("g" + i, false, 1, 0, 1, "Go"))
                .toList();
        // five pages of one repository each on GitHub, five pages of one on Bitbucket; the cap is 3
        for (int page = 1; page <= 5; page++) {
            String next = fakes.githubUrl() + "/users/" + name + "/repos?per_page=100&type=owner&page=" + (page + 1);
            var request = get(urlPathEqualTo("/users/" + name + "/repos"));
            request = page == 1
                    ? request.withQueryParam("page", com.github.tomakehurst.wiremock.client.WireMock.absent())
                    : request.withQueryParam("page", equalTo(Integer.toString(page)));
            fakes.github.stubFor(request.willReturn(
                    UpstreamFakes.ghJson("[" + gh.get(page - 1).json(fakes.githubUrl(), name) + "]")
                            .withHeader("Link", "<" + next + ">; rel=\"next\"")));
        }
        fakes.github.stubFor(get(urlPathEqualTo("/users/" + name))
                .willReturn(UpstreamFakes.ghJson("{\"login\":\"" + name + "\",\"followers\":1}")));
        fakes.github.stubFor(get(urlPathEqualTo("/users/" + name + "/starred")).willReturn(UpstreamFakes.ghJson("[]")));
        fakes.bitbucketWorkspace(
                name,
                IntStream.range(0, 5)
                        .mapToObj(i -> bbRepo("b" + i, false, 1, 1, "go"))
                        .toList(),
                1);

        ApiClient.Response response = aggregate(name, false);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/per_provider/github/pages").asInt()).isEqualTo(3);
        assertThat(response.json().at("/per_provider/github/truncated").asBoolean())
                .isTrue();
        assertThat(response.json().at("/per_provider/bitbucket/pages").asInt()).isEqualTo(3);
        assertThat(response.json().at("/per_provider/bitbucket/truncated").asBoolean())
                .isTrue();
        assertThat(response.json().at("/arg-data/public_repos_count").asLong()).isEqualTo(6);
        fakes.github.verify(
                3,
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlPathEqualTo("/users/" + name + "/repos")));
        fakes.bitbucket.verify(
                3,
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlPathEqualTo("/repositories/" + name)));
    }
}

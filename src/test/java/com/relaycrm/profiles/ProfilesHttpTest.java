package com.relaycrm.profiles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.bitbucketRateLimited;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;
import static com.relaycrm.profiles.UpstreamFakes.githubRateLimited;
import static com.relaycrm.profiles.UpstreamFakes.serverError;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.integrations.UpstreamPauses;
import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

class ProfilesHttpTest extends HttpTestSupport {

    static final String GITHUB_TOKEN = "ghp_testTokenThatMustOnlyReachGitHub0001";
    static final UpstreamFakes fakes = new UpstreamFakes().start();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", fakes::githubUrl);
        registry.add("github.token", () -> GITHUB_TOKEN);
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
        // A rate limit pauses the whole provider for this instance; each scenario starts unpaused.
        pauses.clear();
    }

    private ApiClient.Response aggregate(String body) {
        return api.post("/api/v1/aggregate", body);
    }

    private void fixture(String name) {
        fakes.githubUser(
                name,
                42,
                7,
                List.of(
                        ghRepo("alpha", false, 10, 2, 100, "Python", "cli", "tools"),
                        ghRepo("beta", false, 5, 1, 50, "JavaScript", "web"),
                        ghRepo("gamma", true, 100, 9, 1000, "Go", "fork-topic"),
                        ghRepo("delta", false, 0, 0, 10, null, "cli")));
        fakes.bitbucketWorkspace(
                name,
                List.of(
                        bbRepo("one", false, 3, 2048, "python"),
                        bbRepo("two", false, 1, 1024, ""),
                        bbRepo("three", true, 50, 10240, "java"),
                        bbRepo("four", false, 2, 0, "javascript")),
                100);
    }

    @Test
    void mergesTheSeedFieldsWithForksLeftOutOfTotals() {
        fixture("fixture-dev");
        ApiClient.Response response = aggregate("{\"username\": \"fixture-dev\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode data = response.json().get("arg-data");
        assertThat(data.get("followers_count").asLong()).isEqualTo(42);
        assertThat(data.get("public_repos_count").asLong()).isEqualTo(6);
        assertThat(data.get("original_repos_count").asLong()).isEqualTo(6);
        assertThat(data.get("forked_repos_count").asLong()).isEqualTo(2);
        assertThat(data.get("watcher_count").asLong()).isEqualTo(15 + 6);
        assertThat(data.get("stars_received").asLong()).isEqualTo(15);
        assertThat(data.get("stars_given").asLong()).isEqualTo(7);
        assertThat(data.get("open_issues_count").asLong()).isEqualTo(3);
        assertThat(data.get("size_kb").asLong()).isEqualTo(160 + 3);
        assertThat(data.get("languages").toString()).isEqualTo("[\"JavaScript\",\"Python\"]");
        assertThat(data.get("language_count").toString()).isEqualTo("{\"JavaScript\":2,\"Python\":2}");
        assertThat(data.get("topics_list").toString()).isEqualTo("[\"cli\",\"tools\",\"web\"]");
        assertThat(data.get("topics").toString()).isEqualTo("{\"cli\":2,\"tools\":1,\"web\":1}");
        assertThat(data.has("commits_count")).isFalse();

        JsonNode github = response.json().at("/per_provider/github");
        assertThat(github.get("public_repos_count").asLong()).isEqualTo(3);
        assertThat(github.get("forked_repos_count").asLong()).isEqualTo(1);
        assertThat(github.get("stars_received").asLong()).isEqualTo(15);
        assertThat(github.get("size_kb").asLong()).isEqualTo(160);
        JsonNode bitbucket = response.json().at("/per_provider/bitbucket");
        assertThat(bitbucket.get("public_repos_count").asLong()).isEqualTo(3);
        assertThat(bitbucket.get("watcher_count").asLong()).isEqualTo(6);
        assertThat(bitbucket.get("languages").toString()).isEqualTo("[\"javascript\",\"python\"]");
        assertThat(bitbucket.has("followers_count")).isFalse();

        JsonNode sources = response.json().get("sources");
        assertThat(sources.at("/github/status").asString()).isEqualTo("ok");
        assertThat(sources.at("/bitbucket/status").asString()).isEqualTo("ok");
        assertThat(sources.at("/bitbucket_followers/status").asString()).isEqualTo("unavailable");
    }

    @Test
    void includeForksCountsForksInTotalsButNotAsOriginals() {
        fixture("fork-dev");
        ApiClient.Response response = aggregate("{\"username\": \"fork-dev\", \"include_forks\": true}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode data = response.json().get("arg-data");
        assertThat(data.get("public_repos_count").asLong()).isEqualTo(6);
        assertThat(data.get("forked_repos_count").asLong()).isEqualTo(2);
        assertThat(data.get("watcher_count").asLong()).isEqualTo(115 + 56);
        assertThat(data.get("size_kb").asLong()).isEqualTo(1160 + 13);
        assertThat(data.get("languages").toString()).isEqualTo("[\"JavaScript\",\"Python\",\"Go\",\"java\"]");
        assertThat(data.get("topics_list").toString()).isEqualTo("[\"cli\",\"fork-topic\",\"tools\",\"web\"]");
    }

    @Test
    void separateNamesReachTheirOwnProviders() {
        fakes.githubUser("gh-only-name", 5, 0, List.of(ghRepo("r", false, 1, 0, 1, "C")));
        fakes.bitbucketWorkspace("bb-team", List.of(bbRepo("s", false, 4, 0, "c")), 100);
        ApiClient.Response response = aggregate("{\"github\": \"gh-only-name\", \"bitbucket\": \"bb-team\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(5);
        assertThat(response.json().at("/arg-data/languages").toString()).isEqualTo("[\"C\"]");
        assertThat(response.json().at("/sources/github/name").asString()).isEqualTo("gh-only-name");
        assertThat(response.json().at("/sources/bitbucket/name").asString()).isEqualTo("bb-team");
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/gh-only-name")));
        fakes.bitbucket.verify(1, getRequestedFor(urlPathEqualTo("/repositories/bb-team")));
        fakes.github.verify(0, getRequestedFor(urlPathEqualTo("/users/bb-team")));
        fakes.bitbucket.verify(0, getRequestedFor(urlPathEqualTo("/repositories/gh-only-name")));

        assertThat(api.get("/api/v1/profiles/bb-team")
                        .json()
                        .at("/arg-data/watcher_count")
                        .asLong())
                .isEqualTo(5);
        assertThat(api.get("/api/v1/profiles/GH-only-name")
                        .json()
                        .at("/sources/bitbucket/name")
                        .asString())
                .isEqualTo("bb-team");
    }

    @Test
    void githubPagesOf100AreFollowedByLinkWithoutPerRepositoryCalls() {
        List<UpstreamFakes.GhRepo> repos = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            repos.add(ghRepo("repo" + i, i % 10 == 0, 1, 0, 1, i % 2 == 0 ? "Rust" : "Kotlin", "t" + (i % 3)));
        }
        fakes.githubUser("many-repos", 1, 0, repos);
        fakes.bitbucketMissing("many-repos");
        ApiClient.Response response = aggregate("{\"username\": \"many-repos\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode data = response.json().get("arg-data");
        assertThat(data.get("public_repos_count").asLong()).isEqualTo(207);
        assertThat(data.get("forked_repos_count").asLong()).isEqualTo(23);
        assertThat(data.get("stars_received").asLong()).isEqualTo(207);
        assertThat(data.get("topics_list").size()).isEqualTo(3);
        assertThat(response.json().at("/per_provider/github/pages").asInt()).isEqualTo(3);
        fakes.github.verify(3, getRequestedFor(urlPathEqualTo("/users/many-repos/repos")));
        fakes.github.verify(
                1,
                getRequestedFor(urlPathEqualTo("/users/many-repos/repos"))
                        .withQueryParam("page", absent())
                        .withQueryParam("per_page", equalTo("100")));
        // topics come from the list: no /repos/{owner}/{repo} calls at all
        assertThat(fakes.github.getAllServeEvents()).hasSize(5);
    }

    @Test
    void bitbucketNextChainIsFollowedAndASelfLoopTerminates() {
        String ws = "loop-team";
        List<UpstreamFakes.BbRepo> first = List.of(bbRepo("a", false, 1, 0, "go"), bbRepo("b", false, 2, 0, "go"));
        List<UpstreamFakes.BbRepo> second = List.of(bbRepo("c", true, 4, 0, "go"));
        fakes.stubBitbucketPages(
                ws,
                List.of(
                        fakes.bbPage(ws, first, 1, ",\"next\":\"" + fakes.bbPageUrl(ws, 2) + "\""),
                        // the known bug: the last page names itself as next
                        fakes.bbPage(ws, second, 2, ",\"next\":\"" + fakes.bbPageUrl(ws, 2) + "\"")));
        for (var repo : List.of(first.get(0), first.get(1), second.get(0))) {
            fakes.bitbucketWatchers(ws, repo.slug(), repo.watchers());
        }
        fakes.githubMissing(ws);
        ApiClient.Response response = aggregate("{\"username\": \"loop-team\", \"include_forks\": true}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/arg-data/public_repos_count").asLong()).isEqualTo(2);
        assertThat(response.json().at("/arg-data/forked_repos_count").asLong()).isEqualTo(1);
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(7);
        assertThat(response.json().at("/arg-data/languages").toString()).isEqualTo("[\"go\"]");
        assertThat(response.json().at("/per_provider/bitbucket/pages").asInt()).isEqualTo(2);
        fakes.bitbucket.verify(2, getRequestedFor(urlPathEqualTo("/repositories/loop-team")));
        assertThat(response.json().at("/sources/github/status").asString()).isEqualTo("not_found");
    }

    @Test
    void aGitHubLinkChainThatLoopsBackTerminates() {
        String login = "gh-loop";
        fakes.githubUser(login, 1, 0, List.of(ghRepo("a", false, 2, 0, 1, "Go")));
        String second = fakes.githubUrl() + "/users/" + login + "/repos?per_page=100&type=owner&page=2";
        fakes.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/users/" + login + "/repos"))
                .withQueryParam("page", absent())
                .atPriority(1)
                .willReturn(UpstreamFakes.ghJson(
                                "[" + ghRepo("a", false, 2, 0, 1, "Go").json(fakes.githubUrl(), login) + "]")
                        .withHeader("Link", "<" + second + ">; rel=\"next\"")));
        // page 2 names itself as next, as a buggy proxy might
        fakes.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/users/" + login + "/repos"))
                .withQueryParam("page", equalTo("2"))
                .atPriority(1)
                .willReturn(UpstreamFakes.ghJson(
                                "[" + ghRepo("b", false, 3, 0, 1, "Go").json(fakes.githubUrl(), login) + "]")
                        .withHeader("Link", "<" + second + ">; rel=\"next\"")));
        fakes.bitbucketMissing(login);
        ApiClient.Response response = aggregate("{\"username\": \"gh-loop\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/arg-data/public_repos_count").asLong()).isEqualTo(2);
        assertThat(response.json().at("/arg-data/stars_received").asLong()).isEqualTo(5);
        assertThat(response.json().at("/per_provider/github/pages").asInt()).isEqualTo(2);
        assertThat(response.json().at("/per_provider/github/truncated").asBoolean())
                .isTrue();
        fakes.github.verify(2, getRequestedFor(urlPathEqualTo("/users/gh-loop/repos")));
    }

    @Test
    void longBitbucketChainIsFollowedPageByPage() {
        List<UpstreamFakes.BbRepo> repos = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            repos.add(bbRepo("r" + i, false, 2, 1024, "python"));
        }
        fakes.bitbucketWorkspace("big-team", repos, 100);
        fakes.githubMissing("big-team");
        ApiClient.Response response = aggregate("{\"username\": \"big-team\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/arg-data/public_repos_count").asLong()).isEqualTo(250);
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(500);
        assertThat(response.json().at("/arg-data/size_kb").asLong()).isEqualTo(250);
        fakes.bitbucket.verify(3, getRequestedFor(urlPathEqualTo("/repositories/big-team")));
    }

    @Test
    void nameMissingOnBothProvidersIs404() {
        fakes.githubMissing("nobody-here");
        fakes.bitbucketMissing("nobody-here");
        var problem = assertProblem(aggregate("{\"username\": \"nobody-here\"}"), 404);
        assertThat(problem.at("/sources/github/status").asString()).isEqualTo("not_found");
        assertThat(problem.at("/sources/bitbucket/status").asString()).isEqualTo("not_found");
        assertProblem(api.get("/api/v1/profiles/nobody-here"), 404);
    }

    @Test
    void nameMissingOnOneProviderGivesTheOthersTotals() {
        fakes.githubUser("half-dev", 9, 2, List.of(ghRepo("x", false, 3, 1, 5, "Ruby")));
        fakes.bitbucketMissing("half-dev");
        ApiClient.Response response = aggregate("{\"username\": \"half-dev\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/sources/bitbucket/status").asString()).isEqualTo("not_found");
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(3);
        assertThat(response.json().at("/per_provider/bitbucket").isMissingNode())
                .isTrue();

        fakes.githubMissing("half-team");
        fakes.bitbucketWorkspace("half-team", List.of(bbRepo("y", false, 8, 0, "perl")), 100);
        ApiClient.Response other = aggregate("{\"username\": \"half-team\"}");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.json().at("/sources/github/status").asString()).isEqualTo("not_found");
        assertThat(other.json().at("/arg-data/watcher_count").asLong()).isEqualTo(8);
        assertThat(other.json().at("/arg-data/followers_count").asLong()).isEqualTo(0);
    }

    @Test
    void bothRateLimitedIs429WithRetryAfterFromTheUpstreams() {
        long reset = Instant.now().plusSeconds(120).getEpochSecond();
        fakes.githubAnswers("limited", githubRateLimited(reset));
        fakes.bitbucketAnswers("limited", bitbucketRateLimited(30));
        ApiClient.Response response = aggregate("{\"username\": \"limited\"}");
        var problem = assertProblem(response, 429);
        long retryAfter = Long.parseLong(response.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(25L, 31L);
        assertThat(problem.at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(problem.at("/sources/github/retry_after_seconds").asLong()).isBetween(110L, 121L);
        assertThat(problem.at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
    }

    @Test
    void oneRateLimitedProviderGivesA200Partial() {
        long reset = Instant.now().plusSeconds(300).getEpochSecond();
        fakes.githubAnswers("partly-limited", githubRateLimited(reset));
        fakes.bitbucketWorkspace("partly-limited", List.of(bbRepo("z", false, 2, 0, "c")), 100);
        ApiClient.Response response = aggregate("{\"username\": \"partly-limited\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/sources/github/status").asString()).isEqualTo("rate_limited");
        assertThat(response.json().at("/sources/github/retry_after_seconds").asLong())
                .isBetween(290L, 301L);
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(2);

        pauses.clear(); // GitHub's pause (300 s) would make the next scenario "both rate limited"
        fakes.githubUser("bb-limited", 1, 0, List.of(ghRepo("q", false, 6, 0, 1, "C")));
        fakes.bitbucketAnswers("bb-limited", bitbucketRateLimited(45));
        ApiClient.Response other = aggregate("{\"username\": \"bb-limited\"}");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.json().at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
        assertThat(other.json().at("/arg-data/watcher_count").asLong()).isEqualTo(6);
    }

    @Test
    void oneFailingProviderGivesA200Partial() {
        fakes.githubUser("bb-broken", 1, 0, List.of(ghRepo("q", false, 6, 0, 1, "C")));
        fakes.bitbucketAnswers("bb-broken", serverError());
        ApiClient.Response response = aggregate("{\"username\": \"bb-broken\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/sources/bitbucket/status").asString()).isEqualTo("error");

        fakes.githubAnswers("gh-broken", serverError());
        fakes.bitbucketWorkspace("gh-broken", List.of(bbRepo("z", false, 2, 0, "c")), 100);
        ApiClient.Response other = aggregate("{\"username\": \"gh-broken\"}");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.json().at("/sources/github/status").asString()).isEqualTo("error");
    }

    @Test
    void aFailingWatchersCallFailsOnlyBitbucket() {
        fakes.githubUser("watch-broken", 1, 0, List.of(ghRepo("q", false, 6, 0, 1, "C")));
        fakes.bitbucketWorkspace("watch-broken", List.of(bbRepo("z", false, 2, 0, "c")), 100);
        fakes.bitbucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/repositories/watch-broken/z/watchers"))
                .willReturn(bitbucketRateLimited(20)));
        ApiClient.Response response = aggregate("{\"username\": \"watch-broken\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/sources/bitbucket/status").asString()).isEqualTo("rate_limited");
        assertThat(response.json().at("/arg-data/watcher_count").asLong()).isEqualTo(6);
    }

    @Test
    void bothFailingIs502AndTimeoutsAre504() {
        fakes.githubAnswers("all-broken", serverError());
        fakes.bitbucketAnswers("all-broken", aResponse().withStatus(503));
        var failed = assertProblem(aggregate("{\"username\": \"all-broken\"}"), 502);
        assertThat(failed.at("/sources/github/status").asString()).isEqualTo("error");
        assertThat(failed.at("/sources/bitbucket/status").asString()).isEqualTo("error");

        fakes.githubAnswers("all-slow", serverError().withFixedDelay(4000));
        fakes.bitbucketAnswers("all-slow", serverError().withFixedDelay(4000));
        var slow = assertProblem(aggregate("{\"username\": \"all-slow\"}"), 504);
        assertThat(slow.at("/sources/github/timed_out").asBoolean()).isTrue();

        fakes.githubAnswers("slow-and-broken", serverError().withFixedDelay(4000));
        fakes.bitbucketAnswers("slow-and-broken", serverError());
        assertProblem(aggregate("{\"username\": \"slow-and-broken\"}"), 504);
    }

    @Test
    void aProviderWhosePageChainOutlastsItsDeadlineTimesOut() {
        // each page answers within the request timeout (3 s) but the chain outlasts the provider deadline (8 s)
        fakes.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/users/endless"))
                .willReturn(UpstreamFakes.ghJson("{\"login\":\"endless\",\"followers\":1}")));
        fakes.github.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/users/endless/starred"))
                        .willReturn(UpstreamFakes.ghJson("[]")));
        for (int page = 1; page <= 6; page++) {
            var request = com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/users/endless/repos"));
            request = page == 1
                    ? request.withQueryParam("page", absent())
                    : request.withQueryParam("page", equalTo(Integer.toString(page)));
            fakes.github.stubFor(request.willReturn(UpstreamFakes.ghJson("[]")
                    .withFixedDelay(2000)
                    .withHeader(
                            "Link",
                            "<" + fakes.githubUrl() + "/users/endless/repos?per_page=100&page=" + (page + 1)
                                    + ">; rel=\"next\"")));
        }
        fakes.bitbucketMissing("endless");
        long started = System.nanoTime();
        var problem = assertProblem(aggregate("{\"username\": \"endless\"}"), 504);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(11_000);
        assertThat(problem.at("/sources/github/detail").asString()).isEqualTo("GitHub did not answer in time");
        assertThat(problem.at("/sources/bitbucket/status").asString()).isEqualTo("not_found");
    }

    @Test
    void mixedFailuresWithoutAnyProfile() {
        fakes.githubMissing("gone-and-limited");
        fakes.bitbucketAnswers("gone-and-limited", bitbucketRateLimited(15));
        ApiClient.Response limited = aggregate("{\"username\": \"gone-and-limited\"}");
        assertProblem(limited, 429);
        assertThat(limited.header("Retry-After")).isPresent();

        pauses.clear(); // Bitbucket's pause (15 s) would answer the next scenario without asking Bitbucket
        fakes.githubMissing("gone-and-broken");
        fakes.bitbucketAnswers("gone-and-broken", serverError());
        assertProblem(aggregate("{\"username\": \"gone-and-broken\"}"), 502);

        fakes.githubAnswers(
                "limited-and-broken",
                githubRateLimited(Instant.now().plusSeconds(60).getEpochSecond()));
        fakes.bitbucketAnswers("limited-and-broken", serverError());
        assertProblem(aggregate("{\"username\": \"limited-and-broken\"}"), 502);
    }

    @Test
    void theGitHubTokenReachesGitHubOnlyAndNeverAnyBody() {
        fixture("token-dev");
        ApiClient.Response response = aggregate("{\"username\": \"token-dev\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(GITHUB_TOKEN);
        fakes.github.verify(
                3,
                getRequestedFor(anyUrl())
                        .withHeader("Authorization", equalTo("Bearer " + GITHUB_TOKEN))
                        .withHeader("User-Agent", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
                        .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
        fakes.github.verify(0, anyRequestedFor(anyUrl()).withoutHeader("Authorization"));
        fakes.bitbucket.verify(5, anyRequestedFor(anyUrl()));
        fakes.bitbucket.verify(
                0,
                anyRequestedFor(anyUrl())
                        .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));

        fakes.githubAnswers("token-fail", serverError());
        fakes.bitbucketAnswers("token-fail", serverError());
        assertThat(aggregate("{\"username\": \"token-fail\"}").body()).doesNotContain(GITHUB_TOKEN);
    }

    @Test
    void paginationLinksToAnotherHostAreNotFollowed() {
        fakes.githubUser("evil-link", 1, 0, List.of(ghRepo("q", false, 6, 0, 1, "C")));
        fakes.github.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/users/evil-link/repos"))
                        .willReturn(UpstreamFakes.ghJson("[]")
                                .withHeader("Link", "<" + fakes.bitbucketUrl() + "/steal?page=2>; rel=\"next\"")));
        fakes.bitbucketMissing("evil-link");
        ApiClient.Response response = aggregate("{\"username\": \"evil-link\"}");
        assertProblem(response, 502);
        fakes.bitbucket.verify(0, getRequestedFor(urlPathEqualTo("/steal")));
    }

    @Test
    void commitsAreCountedOnlyWhenAsked() {
        fakes.githubUser(
                "committer",
                1,
                0,
                List.of(
                        ghRepo("own", false, 1, 0, 1, "C"),
                        ghRepo("empty", false, 0, 0, 0, null),
                        ghRepo("forked", true, 0, 0, 1, "C")));
        String commitsUrl = fakes.githubUrl() + "/repos/committer/own/commits?per_page=1&author=committer&page=";
        fakes.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/repos/committer/own/commits"))
                .willReturn(UpstreamFakes.ghJson("[{\"sha\":\"1\"}]")
                        .withHeader(
                                "Link", "<" + commitsUrl + "2>; rel=\"next\", <" + commitsUrl + "57>; rel=\"last\"")));
        fakes.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/repos/committer/empty/commits"))
                .willReturn(aResponse().withStatus(409).withBody("{\"message\":\"Git Repository is empty.\"}")));
        fakes.bitbucketMissing("committer");
        ApiClient.Response without = aggregate("{\"username\": \"committer\"}");
        assertThat(without.json().at("/arg-data/commits_count").isMissingNode()).isTrue();
        fakes.github.verify(0, getRequestedFor(urlPathEqualTo("/repos/committer/own/commits")));

        ApiClient.Response with = aggregate("{\"username\": \"committer\", \"include_commits\": true}");
        assertThat(with.status()).as(with.body()).isEqualTo(200);
        assertThat(with.json().at("/arg-data/commits_count").asLong()).isEqualTo(57);
        assertThat(with.json().at("/per_provider/github/commits_count").asLong())
                .isEqualTo(57);
        assertThat(with.json().at("/sources/bitbucket_commits/status").asString())
                .isEqualTo("unavailable");
        fakes.github.verify(0, getRequestedFor(urlPathEqualTo("/repos/committer/forked/commits")));
        fakes.github.verify(
                1,
                getRequestedFor(urlPathEqualTo("/repos/committer/own/commits"))
                        .withQueryParam("author", equalTo("committer")));
    }

    @Test
    void namesAreValidatedStrictlyNamingTheField() {
        for (String bad : List.of(
                "\"../x\"",
                "\" pypy\"",
                "\"py py\"",
                "\"\"",
                "5",
                "true",
                "[\"a\"]",
                "\"" + "a".repeat(40) + "\"",
                "\"-lead\"",
                "\"a/b\"",
                "\"caf\u00e9\"",
                "\"x%2e\"")) {
            var problem = assertProblem(aggregate("{\"username\": " + bad + "}"), 422);
            assertThat(problem.at("/errors/0/field").asString()).as(bad).isEqualTo("username");
        }
        assertThat(assertProblem(aggregate("{\"github\": \"ok\", \"bitbucket\": \"../x\"}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("bitbucket");
        assertThat(assertProblem(aggregate("{\"github\": \"ok\"}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("bitbucket");
        assertThat(assertProblem(aggregate("{}"), 422).at("/errors/0/field").asString())
                .isEqualTo("username");
        assertThat(assertProblem(aggregate("{\"username\": null}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("username");
        assertThat(assertProblem(aggregate("{\"username\": \"ok\", \"include_forks\": \"yes\"}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("include_forks");
        assertThat(assertProblem(aggregate("{\"username\": \"ok\", \"refresh\": 1}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("refresh");
        assertThat(assertProblem(aggregate("{\"username\": \"ok\", \"user\": \"x\"}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("user");
        assertProblem(aggregate("[\"pypy\"]"), 422);
        assertProblem(aggregate("{\"username\": \"pypy\""), 400);
        assertProblem(aggregate(""), 400);
        assertThat(fakes.github.getAllServeEvents()).isEmpty();
        assertThat(fakes.bitbucket.getAllServeEvents()).isEmpty();
    }

    @Test
    void getOnAggregateIs405AndBadProfileNameIs400() {
        ApiClient.Response response = api.get("/api/v1/aggregate");
        assertProblem(response, 405);
        assertThat(response.header("Allow").orElse("")).contains("POST");
        assertThat(assertProblem(api.get("/api/v1/profiles/a.b"), 400)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("name");
        assertProblem(api.get("/api/v1/profiles/never-built"), 404);
        JsonNode openApi = api.anonymous().get("/openapi.json").json();
        assertThat(openApi.at("/paths/~1api~1v1~1aggregate/post").isMissingNode())
                .isFalse();
        assertThat(openApi.at("/paths/~1api~1v1~1profiles~1{name}/get").isMissingNode())
                .isFalse();
    }

    @Test
    void everyRoleReadsProfilesButOnlySalesAndAdminBuildThem() {
        fakes.githubUser("roles-dev", 1, 0, List.of(ghRepo("q", false, 6, 0, 1, "C")));
        fakes.bitbucketMissing("roles-dev");
        ApiClient sales = clientFor("sam", Role.SALES);
        assertThat(sales.post("/api/v1/aggregate", "{\"username\": \"roles-dev\"}")
                        .status())
                .isEqualTo(200);
        for (Role role : List.of(Role.VIEWER, Role.AGENT, Role.MESSAGING_SERVICE)) {
            ApiClient reader = clientFor("reader-" + role.name().toLowerCase(), role);
            assertProblem(reader.post("/api/v1/aggregate", "{\"username\": \"roles-dev\"}"), 403);
            ApiClient.Response read = reader.get("/api/v1/profiles/roles-dev");
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().at("/arg-data/watcher_count").asLong()).isEqualTo(6);
        }
        assertProblem(api.anonymous().get("/api/v1/profiles/roles-dev"), 401);
        assertProblem(api.anonymous().post("/api/v1/aggregate", "{\"username\": \"roles-dev\"}"), 401);
    }
}

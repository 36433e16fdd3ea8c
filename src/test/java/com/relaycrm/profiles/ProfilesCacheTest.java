package com.relaycrm.profiles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class ProfilesCacheTest extends HttpTestSupport {

    static final UpstreamFakes fakes = new UpstreamFakes().start();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProfilesApi profilesApi;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", fakes::githubUrl);
        registry.add("bitbucket.api-url", fakes::bitbucketUrl);
    }

    @AfterAll
    static void stopFakes() {
        fakes.github.stop();
        fakes.bitbucket.stop();
    }

    @BeforeEach
    void resetFakes() {
        fakes.reset();
    }

    private void developer(String name) {
        fakes.githubUser(
                name, 11, 4, List.of(ghRepo("a", false, 3, 1, 10, "Java", "spring"), ghRepo("b", true, 9, 0, 10, "C")));
        fakes.bitbucketWorkspace(name, List.of(bbRepo("c", false, 2, 4096, "java")), 100);
    }

    private int upstreamCalls() {
        return fakes.github.getAllServeEvents().size()
                + fakes.bitbucket.getAllServeEvents().size();
    }

    @Test
    void aCacheHitMakesNoUpstreamCall() {
        developer("cached-dev");
        ApiClient.Response first = api.post("/api/v1/aggregate", "{\"username\": \"cached-dev\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().at("/sources/github/cached").asBoolean()).isFalse();
        int calls = upstreamCalls();
        assertThat(calls).isEqualTo(3 + 2);

        ApiClient.Response second = api.post("/api/v1/aggregate", "{\"username\": \"Cached-Dev\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(upstreamCalls()).isEqualTo(calls);
        assertThat(second.json().at("/sources/github/cached").asBoolean()).isTrue();
        assertThat(second.json().at("/sources/bitbucket/cached").asBoolean()).isTrue();
        assertThat(second.json().get("arg-data")).isEqualTo(first.json().get("arg-data"));
        assertThat(second.json().at("/arg-data/watcher_count").asLong()).isEqualTo(5);

        // other options are computed from the same cached answers
        ApiClient.Response withForks =
                api.post("/api/v1/aggregate", "{\"username\": \"cached-dev\", \"include_forks\": true}");
        assertThat(withForks.json().at("/arg-data/watcher_count").asLong()).isEqualTo(14);
        assertThat(upstreamCalls()).isEqualTo(calls);
        assertThat(api.get("/api/v1/profiles/cached-dev")
                        .json()
                        .at("/options/include_forks")
                        .asBoolean())
                .isTrue();

        DeveloperProfile profile = profilesApi.lastBuilt("Cached-Dev").orElseThrow();
        assertThat(profile.githubName()).isEqualTo("cached-dev");
        assertThat(profile.watcherCount()).isEqualTo(14);
        assertThat(profile.followersCount()).isEqualTo(11);
        assertThat(profile.languages()).containsExactly("Java", "C");
        assertThat(profilesApi.lastBuilt("never-asked")).isEmpty();
    }

    @Test
    void refreshBypassesTheCacheAndGitHubAnswersNotModified() {
        developer("etag-dev");
        ApiClient.Response first = api.post("/api/v1/aggregate", "{\"username\": \"etag-dev\"}");
        assertThat(first.status()).isEqualTo(200);
        StubMapping notModified = fakes.github.stubFor(get(urlPathMatching("/users/etag-dev.*"))
                .withHeader("If-None-Match", matching("W/\".+\""))
                .atPriority(1)
                .willReturn(aResponse().withStatus(304)));

        ApiClient.Response refreshed = api.post("/api/v1/aggregate", "{\"username\": \"etag-dev\", \"refresh\": true}");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().at("/sources/github/cached").asBoolean()).isFalse();
        assertThat(refreshed.json().get("arg-data")).isEqualTo(first.json().get("arg-data"));
        fakes.github.verify(
                3,
                getRequestedFor(urlPathMatching("/users/etag-dev.*"))
                        .withHeader("If-None-Match", matching("W/\".+\"")));
        fakes.bitbucket.verify(2, getRequestedFor(urlPathEqualTo("/repositories/etag-dev")));
        assertThat(fakes.github.getAllServeEvents().stream()
                        .filter(e -> e.getStubMapping().getId().equals(notModified.getId()))
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aRefreshThatSeesNewFiguresReplacesWhatHitsServe() {
        developer("changing-dev");
        ApiClient.Response before = api.post("/api/v1/aggregate", "{\"username\": \"changing-dev\"}");
        assertThat(before.json().at("/arg-data/followers_count").asLong()).isEqualTo(11);
        assertThat(api.post("/api/v1/aggregate", "{\"username\": \"changing-dev\"}")
                        .json()
                        .at("/arg-data/followers_count")
                        .asLong())
                .isEqualTo(11);
        fakes.reset();
        fakes.githubUser("changing-dev", 12, 4, List.of(ghRepo("a", false, 30, 1, 10, "Java", "spring")));
        fakes.bitbucketWorkspace("changing-dev", List.of(bbRepo("c", false, 2, 4096, "java")), 100);
        ApiClient.Response refreshed =
                api.post("/api/v1/aggregate", "{\"username\": \"changing-dev\", \"refresh\": true}");
        assertThat(refreshed.json().at("/arg-data/followers_count").asLong()).isEqualTo(12);
        ApiClient.Response hit = api.post("/api/v1/aggregate", "{\"username\": \"changing-dev\"}");
        assertThat(hit.json().at("/sources/github/cached").asBoolean()).isTrue();
        assertThat(hit.json().at("/arg-data/followers_count").asLong()).isEqualTo(12);
        assertThat(hit.json().at("/arg-data/watcher_count").asLong()).isEqualTo(32);
        assertThat(api.get("/api/v1/profiles/changing-dev")
                        .json()
                        .at("/arg-data/followers_count")
                        .asLong())
                .isEqualTo(12);
    }

    @Test
    void anExpiredEntryIsFetchedAgainConditionally() {
        developer("ttl-dev");
        assertThat(api.post("/api/v1/aggregate", "{\"username\": \"ttl-dev\"}").status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/aggregate", "{\"username\": \"ttl-dev\"}").status())
                .isEqualTo(200);
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/ttl-dev")));

        int expired = jdbc.sql("update profiles_provider_snapshot set expires_at = now() - interval '1 second'"
                        + " where name = 'ttl-dev'")
                .update();
        assertThat(expired).isEqualTo(2);
        ApiClient.Response again = api.post("/api/v1/aggregate", "{\"username\": \"ttl-dev\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/sources/github/cached").asBoolean()).isFalse();
        fakes.github.verify(2, getRequestedFor(urlPathEqualTo("/users/ttl-dev")));
        fakes.github.verify(
                1, getRequestedFor(urlPathEqualTo("/users/ttl-dev")).withHeader("If-None-Match", matching(".+")));
        fakes.bitbucket.verify(2, getRequestedFor(urlPathEqualTo("/repositories/ttl-dev")));
    }

    @Test
    void failuresAreNotServedFromTheCache() {
        fakes.githubMissing("flaky-dev");
        fakes.bitbucketAnswers("flaky-dev", UpstreamFakes.serverError());
        assertProblem(api.post("/api/v1/aggregate", "{\"username\": \"flaky-dev\"}"), 502);
        fakes.bitbucket.resetAll();
        fakes.bitbucketWorkspace("flaky-dev", List.of(bbRepo("c", false, 2, 0, "go")), 100);
        ApiClient.Response recovered = api.post("/api/v1/aggregate", "{\"username\": \"flaky-dev\"}");
        assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
        // the GitHub "not found" was cached; only Bitbucket was asked again
        assertThat(recovered.json().at("/sources/github/cached").asBoolean()).isTrue();
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/flaky-dev")));
    }

    @Test
    void concurrentIdenticalRequestsTriggerOneUpstreamFetch() throws Exception {
        developer("busy-dev");
        // every fake answer takes 400 ms, so all requests overlap the first fetch
        fakes.github.setGlobalFixedDelay(400);
        fakes.bitbucket.setGlobalFixedDelay(400);
        int parallel = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> responses = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                responses.add(clients.submit(() -> {
                    start.await();
                    return api.post("/api/v1/aggregate", "{\"username\": \"busy-dev\"}");
                }));
            }
            start.countDown();
            String expected = null;
            for (Future<ApiClient.Response> response : responses) {
                ApiClient.Response r = response.get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                String data = r.json().get("arg-data").toString();
                expected = expected == null ? data : expected;
                assertThat(data).isEqualTo(expected);
            }
        } finally {
            fakes.github.setGlobalFixedDelay(0);
            fakes.bitbucket.setGlobalFixedDelay(0);
        }
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/busy-dev")));
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/busy-dev/repos")));
        fakes.github.verify(1, getRequestedFor(urlPathEqualTo("/users/busy-dev/starred")));
        fakes.bitbucket.verify(1, getRequestedFor(urlPathEqualTo("/repositories/busy-dev")));
        fakes.bitbucket.verify(1, getRequestedFor(urlPathEqualTo("/repositories/busy-dev/c/watchers")));
        assertThat(jdbc.sql("select count(*) from profiles_provider_snapshot where name = 'busy-dev'"
                                + " and lease_owner is null and status = 'ok'")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }
}

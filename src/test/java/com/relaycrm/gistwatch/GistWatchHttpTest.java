package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The test client is the trusted proxy, so its X-Forwarded-Proto counts. */
@org.springframework.test.context.TestPropertySource(properties = "relay.trusted-proxies=127.0.0.1,::1")
class GistWatchHttpTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();
    static final WireMockServer pipedrive = Fakes.start();

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "");
        registry.add("pipetest.piepedrive-api-key", () -> "test-key-1");
        registry.add("pipetest.piepedrive-company-name", () -> "acme");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.deal-sync-interval", () -> "PT1H");
        registry.add("github.read-timeout", () -> "PT1S");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
        pipedrive.stop();
    }

    private void watch(String login) {
        ApiClient.Response response = api.post("/api/v1/github/watched-users", "{\"login\":\"" + login + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private JsonNode scan(String login) {
        ApiClient.Response response = api.post("/api/v1/github/scan?login=" + login, "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode drain() {
        ApiClient.Response response = api.post("/api/v1/github/deal-sync", "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode user(String login) {
        ApiClient.Response response = api.get("/api/v1/github/watched-users/" + login);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String cookieOf(ApiClient.Response response) {
        String header = response.header("Set-Cookie").orElseThrow();
        assertThat(header).startsWith("gistwatch_session=");
        return header.substring(0, header.indexOf(';'));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    @Test
    void watchedUsersCanBeAddedListedAndRemovedWithRoles() {
        ApiClient viewer = clientFor("vera", Role.VIEWER);
        ApiClient sales = clientFor("sam", Role.SALES);

        ApiClient.Response created = sales.post("/api/v1/github/watched-users", "{\"login\":\"Crud-User\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).hasValue("/api/v1/github/watched-users/Crud-User");
        assertThat(created.json().get("login").asString()).isEqualTo("Crud-User");
        assertThat(created.json().get("status").asString()).isEqualTo("pending");
        assertThat(created.json().get("gist_count").asInt()).isZero();

        JsonNode conflict = assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":\"crud-user\"}"), 409);
        assertThat(conflict.get("existing_id").asString()).isEqualTo("Crud-User");
        assertProblem(viewer.post("/api/v1/github/watched-users", "{\"login\":\"other\"}"), 403);

        JsonNode invalid = assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":\"-bad-\"}"), 422);
        assertThat(invalid.at("/errors/0/field").asString()).isEqualTo("login");
        assertThat(assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":12}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("login");
        assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":\"a--b\"}"), 422);
        assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":\"" + "a".repeat(40) + "\"}"), 422);
        assertThat(assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":\"ok\",\"x\":1}"), 422)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("x");
        assertProblem(sales.post("/api/v1/github/watched-users", "{\"login\":"), 400);
        assertProblem(sales.post("/api/v1/github/watched-users", "[]"), 422);

        ApiClient.Response list = viewer.get("/api/v1/github/watched-users");
        assertThat(list.status()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode user : list.json()) {
            if (user.get("login").asString().equals("Crud-User")) {
                listed = user;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("status").asString()).isEqualTo("pending");
        assertThat(listed.get("gist_count").asInt()).isZero();
        assertThat(listed.has("last_scan_at")).isFalse();
        assertThat(strings(api.get("/getCurrentlyScannedUsers").json())).contains("Crud-User");

        assertProblem(viewer.delete("/api/v1/github/watched-users/crud-user"), 403);
        assertThat(sales.delete("/api/v1/github/watched-users/crud-user").status())
                .isEqualTo(204);
        assertProblem(sales.delete("/api/v1/github/watched-users/crud-user"), 404);
        assertProblem(sales.delete("/api/v1/github/watched-users/--"), 404);
        assertThat(strings(api.get("/getCurrentlyScannedUsers").json())).doesNotContain("Crud-User");
        assertProblem(api.get("/api/v1/github/watched-users/crud-user"), 404);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'gistwatch-scan' AND task_instance = 'crud-user'")
                        .query(Long.class)
                        .single())
                .isZero();

        // Re-adding after removal works.
        assertThat(sales.post("/api/v1/github/watched-users", "{\"login\":\"crud-user\"}")
                        .status())
                .isEqualTo(201);
        assertProblem(viewer.post("/api/v1/github/scan", ""), 403);
        assertProblem(api.post("/api/v1/github/scan?login=nobody-watched", ""), 404);
        assertProblem(api.post("/api/v1/github/scan?login=-x-", ""), 400);
    }

    @Test
    void parallelAddsOfOneLoginGiveOneCreatedAndConflictsForTheRest() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String spelling = i % 2 == 0 ? "racer" : "RACER";
                results.add(executor.submit(() -> {
                    start.await();
                    return api.post("/api/v1/github/watched-users", "{\"login\":\"" + spelling + "\"}")
                            .status();
                }));
            }
            start.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
    }

    @Test
    void initialSyncCreatesOneOrganizationPerUserAndOneLinkedDealPerGist() {
        Fakes.stubGists(github, "alice", List.of("a001", "a002", "a003"), "\"e-alice-1\"");
        Fakes.stubGists(github, "bob", List.of("b001", "b002"), "\"e-bob-1\"");
        Fakes.stubPipedriveEmpty(pipedrive, 77);
        Fakes.stubExistingOrganization(pipedrive, "bob", 88);
        watch("alice");
        watch("bob");

        assertThat(scan("alice").get("new_gists").asInt()).isEqualTo(3);
        assertThat(scan("bob").get("new_gists").asInt()).isEqualTo(2);
        JsonNode alice = user("alice");
        assertThat(alice.get("status").asString()).isEqualTo("ok");
        assertThat(alice.get("gist_count").asInt()).isEqualTo(3);
        assertThat(alice.get("last_scan_at").asString()).isNotBlank();

        JsonNode run = drain();
        assertThat(run.get("synced").asInt()).isEqualTo(5);
        List<JsonNode> deals = Fakes.dealsCreated(pipedrive);
        assertThat(deals).hasSize(5);
        for (JsonNode deal : deals) {
            assertThat(deal.get("org_id").isIntegralNumber())
                    .as(deal.toString())
                    .isTrue();
            String title = deal.get("title").asString();
            long expectedOrg = title.startsWith("alice: ") ? 77 : 88;
            assertThat(deal.get("org_id").longValue()).isEqualTo(expectedOrg);
        }
        assertThat(deals.stream().map(d -> d.get("title").asString()))
                .contains("alice: gist a001 of alice (gist a001)", "bob: gist b002 of bob (gist b002)");
        // bob's organization existed: found by exact search, never created.
        assertThat(Fakes.count(pipedrive, "POST", "/v2/organizations")).isEqualTo(1);
        assertThat(pipedrive.findAll(getRequestedFor(urlPathEqualTo("/v2/organizations/search"))
                        .withQueryParam("term", equalTo("bob"))
                        .withQueryParam("exact_match", equalTo("true"))))
                .hasSize(1);
        // The key travels as a header, never in the URL.
        assertThat(pipedrive.getAllServeEvents()).allSatisfy(e -> {
            assertThat(e.getRequest().getHeader("x-api-token")).isEqualTo("test-key-1");
            assertThat(e.getRequest().getUrl()).doesNotContain("test-key-1");
        });

        // Nothing left: a second drain and an unchanged rescan create nothing.
        assertThat(drain().get("synced").asInt()).isZero();
        assertThat(scan("alice").get("new_gists").asInt()).isZero();
        drain();
        assertThat(Fakes.dealsCreated(pipedrive)).hasSize(5);

        JsonNode full = api.get("/getGists?user=alice&format=full").json();
        assertThat(full).hasSize(3);
        for (JsonNode gist : full) {
            assertThat(gist.get("sync_status").asString()).isEqualTo("synced");
            assertThat(gist.get("deal_id").isIntegralNumber()).isTrue();
            assertThat(gist.get("login").asString()).isEqualTo("alice");
            assertThat(gist.get("html_url").asString()).startsWith("https://gist.github.com/alice/");
            assertThat(gist.get("first_seen_at").asString()).isNotBlank();
            assertThat(gist.get("created_at").asString()).isEqualTo("2024-01-02T03:04:05Z");
        }
        JsonNode one = api.get("/api/v1/github/gists/a001").json();
        assertThat(one.get("org_id").asLong()).isEqualTo(77);

        // A new gist later reuses the cached organization: no further organization search.
        int searches = Fakes.count(pipedrive, "GET", "/v2/organizations/search");
        Fakes.stubGists(github, "alice", List.of("a001", "a002", "a003", "a004"), "\"e-alice-2\"");
        assertThat(scan("alice").get("new_gists").asInt()).isEqualTo(1);
        assertThat(drain().get("synced").asInt()).isEqualTo(1);
        assertThat(Fakes.count(pipedrive, "GET", "/v2/organizations/search")).isEqualTo(searches);
        assertThat(Fakes.dealsCreated(pipedrive)).hasSize(6);
        assertThat(Fakes.count(pipedrive, "GET", "/v2/deals/search")).isZero();
    }

    @Test
    void paginationCollects150GistsAndAnUnchangedListCostsOneConditionalRequest() {
        String base = github.baseUrl();
        List<String> ids = Fakes.ids("p", 0, 150);
        github.stubFor(get(urlPathEqualTo("/users/pager/gists"))
                .withQueryParam("per_page", equalTo("100"))
                .withQueryParam("page", absent())
                .withHeader("If-None-Match", absent())
                .willReturn(okJson(Fakes.gists("pager", ids.subList(0, 100)))
                        .withHeader("ETag", "W/\"pg-1\"")
                        .withHeader(
                                "Link",
                                "<" + base + "/users/pager/gists?per_page=100&page=2>; rel=\"next\", <" + base
                                        + "/users/pager/gists?per_page=100&page=2>; rel=\"last\"")));
        github.stubFor(get(urlPathEqualTo("/users/pager/gists"))
                .withQueryParam("page", equalTo("2"))
                .willReturn(okJson(Fakes.gists("pager", ids.subList(100, 150)))
                        .withHeader("ETag", "W/\"pg-2\"")
                        .withHeader("Link", "<" + base + "/users/pager/gists?per_page=100&page=1>; rel=\"prev\"")));
        github.stubFor(get(urlPathEqualTo("/users/pager/gists"))
                .withHeader("If-None-Match", equalTo("W/\"pg-1\""))
                .willReturn(aResponse().withStatus(304)));
        watch("pager");

        assertThat(scan("pager").get("new_gists").asInt()).isEqualTo(150);
        assertThat(Fakes.gistRequests(github, "pager")).isEqualTo(2);
        assertThat(user("pager").get("gist_count").asInt()).isEqualTo(150);
        assertThat(github.findAll(getRequestedFor(urlPathEqualTo("/users/pager/gists"))))
                .allSatisfy(r -> {
                    assertThat(r.getHeader("Accept")).isEqualTo("application/vnd.github+json");
                    assertThat(r.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
                    assertThat(r.getHeader("User-Agent")).isNotBlank();
                });

        // 304 on the first page ends the scan: exactly one more request, carrying the stored ETag.
        assertThat(scan("pager").get("new_gists").asInt()).isZero();
        assertThat(Fakes.gistRequests(github, "pager")).isEqualTo(3);
        assertThat(github.findAll(getRequestedFor(urlPathEqualTo("/users/pager/gists"))
                        .withHeader("If-None-Match", equalTo("W/\"pg-1\""))))
                .hasSize(1);
        assertThat(user("pager").get("status").asString()).isEqualTo("ok");
        assertThat(strings(api.get("/getGists?user=pager").json())).hasSize(150).isSorted();
    }

    @Test
    void unknownGitHubUserIsNotFoundAndDoesNotStopOthers() {
        github.stubFor(get(urlPathEqualTo("/users/ghost-user/gists"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com\"}")));
        github.stubFor(get(urlPathEqualTo("/users/broken-user/gists"))
                .willReturn(aResponse().withStatus(502)));
        Fakes.stubGists(github, "fine-user", List.of("f001"), "\"e-fine\"");
        watch("ghost-user");
        watch("broken-user");
        watch("fine-user");

        JsonNode all = api.post("/api/v1/github/scan", "").json();
        assertThat(all.get("statuses").get("not_found").asInt()).isEqualTo(1);
        assertThat(all.get("statuses").get("error").asInt()).isEqualTo(1);
        assertThat(user("ghost-user").get("status").asString()).isEqualTo("not_found");
        assertThat(user("broken-user").get("status").asString()).isEqualTo("error");
        assertThat(user("broken-user").get("status_detail").asString()).contains("502");
        assertThat(user("fine-user").get("status").asString()).isEqualTo("ok");
        assertThat(strings(api.get("/getAllScannedUsers").json()))
                .contains("fine-user")
                .doesNotContain("ghost-user");
        assertThat(strings(api.get("/getAllScannedUsers/").json())).contains("fine-user");
    }

    @Test
    void slowOrUnreadableGitHubAnswersBecomeAnErrorStatus() {
        github.stubFor(get(urlPathEqualTo("/users/slow-user/gists"))
                .willReturn(okJson("[]").withFixedDelay(2500)));
        github.stubFor(get(urlPathEqualTo("/users/garbled-user/gists"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{not json")));
        watch("slow-user");
        watch("garbled-user");
        assertThat(scan("slow-user").get("statuses").get("error").asInt()).isEqualTo(1);
        assertThat(user("slow-user").get("status_detail").asString()).contains("GitHub unreachable");
        assertThat(scan("garbled-user").get("statuses").get("error").asInt()).isEqualTo(1);
        assertThat(user("garbled-user").get("status_detail").asString()).contains("unreadable JSON");
    }

    @Test
    void getGistsShowsOnlyWhatIsNewSinceTheSessionsPreviousCall() {
        Fakes.stubGists(github, "visitor", List.of("v002", "v001"), "\"e-v-1\"");
        watch("visitor");
        scan("visitor");

        ApiClient.Response first = api.get("/getGists?user=visitor");
        assertThat(first.status()).isEqualTo(200);
        assertThat(strings(first.json())).containsExactly("v001", "v002");
        String setCookie = first.header("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000")
                .doesNotContain("Secure");
        String cookie = cookieOf(first);

        assertThat(api.get("/getGists?user=visitor", "Cookie", cookie).body()).isEqualTo("[]");
        assertThat(api.get("/getGists/?user=visitor", "Cookie", cookie).body()).isEqualTo("[]");

        Fakes.stubGists(github, "visitor", List.of("v003", "v002", "v001"), "\"e-v-2\"");
        scan("visitor");
        ApiClient.Response next = api.get("/getGists?user=visitor", "Cookie", cookie);
        assertThat(strings(next.json())).containsExactly("v003");
        assertThat(cookieOf(next)).isEqualTo(cookie);
        assertThat(api.get("/getGists?user=visitor", "Cookie", cookie).body()).isEqualTo("[]");

        // The unfiltered view of the same session has its own horizon: everything, then nothing.
        List<String> everything = strings(api.get("/getGists", "Cookie", cookie).json());
        assertThat(everything).contains("v001", "v002", "v003");
        assertThat(api.get("/getGists", "Cookie", cookie).body()).isEqualTo("[]");

        // Garbage, unknown and empty cookies: every gist and a new cookie, never a 5xx.
        for (String garbage : List.of(
                "gistwatch_session=garbage",
                "gistwatch_session=",
                "gistwatch_session=%00%ff;;",
                "gistwatch_session=" + "x".repeat(5000),
                "other=1")) {
            ApiClient.Response response = api.get("/getGists?user=visitor", "Cookie", garbage);
            assertThat(response.status()).as(garbage).isEqualTo(200);
            assertThat(strings(response.json())).containsExactly("v001", "v002", "v003");
            assertThat(cookieOf(response)).isNotEqualTo(cookie).isNotEqualTo(garbage);
        }

        // Behind an HTTPS proxy the cookie is Secure.
        assertThat(api.get("/getGists?user=visitor", "X-Forwarded-Proto", "https")
                        .header("Set-Cookie")
                        .orElseThrow())
                .contains("Secure");

        JsonNode full = api.get("/getGists?user=visitor&format=full").json();
        assertThat(full).hasSize(3);
        assertThat(full.get(0).get("id").asString()).isEqualTo("v001");
        assertThat(full.get(0).get("description").asString()).isEqualTo("gist v001 of visitor");
        assertThat(full.get(0).get("sync_status").asString()).isEqualTo("pending");
        assertThat(api.get("/getGists?user=visitor&format=ids").json().get(0).isString())
                .isTrue();

        assertProblem(api.get("/getGists?format=xml"), 400);
        assertThat(assertProblem(api.get("/getGists?user=-no-"), 400)
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("user");
        assertProblem(api.anonymous().get("/getGists"), 401);
        assertProblem(api.anonymous().get("/getAllScannedUsers"), 401);
        assertThat(api.get("/getGists?user=nobody-here").body()).isEqualTo("[]");
    }

    @Test
    void parallelCallsWithOneCookieShowEachNewGistExactlyOnce() throws Exception {
        Fakes.stubGists(github, "parallel", List.of("q001"), "\"e-q-1\"");
        watch("parallel");
        scan("parallel");
        String cookie = cookieOf(api.get("/getGists?user=parallel"));
        List<String> fresh = Fakes.ids("q", 2, 20);
        List<String> all = new ArrayList<>(fresh);
        all.add("q001");
        Fakes.stubGists(github, "parallel", all, "\"e-q-2\"");
        scan("parallel");

        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> calls = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                calls.add(executor.submit(() -> {
                    start.await();
                    return api.get("/getGists?user=parallel", "Cookie", cookie);
                }));
            }
            start.countDown();
        }
        List<String> shown = new ArrayList<>();
        for (Future<ApiClient.Response> call : calls) {
            ApiClient.Response response = call.get();
            assertThat(response.status()).isEqualTo(200);
            shown.addAll(strings(response.json()));
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(fresh);
    }

    @Test
    void aDealCreatedBeforeACrashIsFoundBySearchAndNotCreatedAgain() {
        Fakes.stubGists(github, "crashy", List.of("c001"), "\"e-c\"");
        Fakes.stubPipedriveEmpty(pipedrive, 77);
        watch("crashy");
        scan("crashy");
        // State left by a worker that created the deal in Pipedrive and died before committing: the gist is still
        // pending, its claim is spent and its lease has run out.
        jdbc.sql(
                        "UPDATE gistwatch_deal_sync SET claims = 1, lease_until = now() - interval '1 second' WHERE gist_id = 'c001'")
                .update();
        pipedrive.stubFor(get(urlPathEqualTo("/v2/deals/search"))
                .withQueryParam("term", equalTo("c001"))
                .atPriority(1)
                .willReturn(okJson("""
                        {"success":true,"data":{"items":[
                          {"result_score":0.5,"item":{"id":9001,"title":"crashy: other (gist c0010)"}},
                          {"result_score":1,"item":{"id":9002,"title":"crashy: gist c001 of crashy (gist c001)",
                           "organization":{"id":77,"name":"crashy"}}}]}}""")));
        drain();
        assertThat(Fakes.dealsCreated(pipedrive))
                .noneSatisfy(deal -> assertThat(deal.get("title").asString()).contains("(gist c001)"));
        JsonNode gist = api.get("/api/v1/github/gists/c001").json();
        assertThat(gist.get("deal_id").asLong()).isEqualTo(9002);
        assertThat(gist.get("sync_status").asString()).isEqualTo("synced");
    }

    @Test
    void healthKeepsTheSeedShapeAndActuatorShowsGitHubAndPipedrive() {
        Fakes.stubGists(github, "healthy", List.of("h001"), "\"e-h\"");
        watch("healthy");
        scan("healthy");
        assertThat(api.anonymous().get("/health").body()).isEqualTo("{\"status\":\"UP\"}");
        ApiClient.Response health = api.get("/actuator/health");
        JsonNode components = health.json().get("components");
        assertThat(components.at("/github/status").asString()).isEqualTo("UP");
        assertThat(components.at("/github/details/last_scan_at").asString()).isNotBlank();
        assertThat(components.at("/github/details/rate_limit_remaining").isIntegralNumber())
                .as(health.body())
                .isTrue();
        assertThat(components.at("/pipedrive/details/state").asString()).isIn("ok", "failing");
        assertThat(health.body()).doesNotContain("test-key-1");
        assertProblem(clientFor("viewer2", Role.VIEWER).get("/actuator/health"), 403);
    }

    @Test
    void unknownGistsAndBadParametersAreClientErrors() {
        assertProblem(api.post("/api/v1/github/gists/nope/retry", ""), 404);
        assertProblem(api.get("/api/v1/github/gists/nope"), 404);
        assertProblem(api.get("/api/v1/github/gists?sync_status=bogus"), 400);
        assertProblem(api.get("/api/v1/github/gists?limit=99999999999999999999"), 400);
        assertProblem(api.post("/api/v1/github/gists/" + "x".repeat(300) + "/retry", ""), 404);
        assertThat(api.get("/api/v1/github/gists?sync_status=failed&limit=5").status())
                .isEqualTo(200);
    }
}

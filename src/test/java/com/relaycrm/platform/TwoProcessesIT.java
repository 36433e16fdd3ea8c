package com.relaycrm.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.gistwatch.GistwatchTestFakes;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.RelayJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two Relay processes from the packaged jar, on two ports, against one PostgreSQL: the cross-module invariants hold
 * whichever process a request reaches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoProcessesIT {

    private static final String ADMIN = "two-processes-admin-token-0123456789";
    private static final List<String> WATCHED = List.of("twin-a", "twin-b", "twin-c");
    private static final Duration SCAN_INTERVAL = Duration.ofMinutes(1);

    @TempDir
    static Path temp;

    private EmbeddedPostgres database;
    private WireMockServer github;
    private RelayJar first;
    private RelayJar second;
    private ApiClient onA;
    private ApiClient onB;

    @BeforeAll
    void startTwoProcesses() throws Exception {
        database = EmbeddedPostgres.builder()
                .setDataDirectory(temp.resolve("pg"))
                .setPort(RelayJar.freePort())
                .start();
        github = GistwatchTestFakes.start();
        for (String login : WATCHED) {
            GistwatchTestFakes.stubGists(github, login, List.of(login + "-g1", login + "-g2"), "\"e-" + login + "\"");
        }
        Map<String, String> env = Map.of(
                "SPRING_DATASOURCE_URL",
                "jdbc:postgresql://localhost:" + database.getPort() + "/postgres",
                "SPRING_DATASOURCE_USERNAME",
                "postgres",
                "RELAY_ADMIN_TOKEN",
                ADMIN,
                "RELAY_JOBS_POLLING_INTERVAL",
                "PT0.2S",
                "GITHUB_API_URL",
                github.baseUrl(),
                "PIPETEST_QUERIED_USERS",
                String.join(",", WATCHED),
                "PIPETEST_QUERYING_INTERVAL",
                Long.toString(SCAN_INTERVAL.toMinutes()));
        // The first start migrates the schema; the second starts on the migrated database, like a scale-out.
        first = RelayJar.start(temp, "relay-a", RelayJar.freePort(), env).awaitHealthy(120);
        second = RelayJar.start(temp, "relay-b", RelayJar.freePort(), env).awaitHealthy(120);
        onA = first.client(ADMIN);
        onB = second.client(ADMIN);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (RelayJar relay : new RelayJar[] {first, second}) {
            if (relay != null) {
                relay.close();
            }
        }
        if (github != null) {
            github.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void parallelWinsSplitAcrossProcessesMakeExactlyOneCustomer() throws Exception {
        ApiClient.Response employee =
                onA.post("/employees", "{\"name\":\"Twin Rep\",\"email\":\"rep@twins.test\",\"role\":\"SALES_REP\"}");
        assertThat(employee.status()).as(employee.body()).isEqualTo(201);
        long rep = employee.json().get("id").asLong();
        for (int round = 0; round < 3; round++) {
            String email = "won" + round + "@twins.test";
            ApiClient.Response lead = onB.post(
                    "/leads",
                    "{\"name\":\"Twin lead " + round + "\",\"contact_email\":\"" + email + "\",\"assigned_to\":" + rep
                            + ",\"expected_revenue\":10.00,\"source\":\"web\"}");
            assertThat(lead.status()).as(lead.body()).isEqualTo(201);
            long id = lead.json().get("id").asLong();

            List<ApiClient.Response> responses =
                    race(20, i -> (i % 2 == 0 ? onA : onB).patch("/leads/" + id, "{\"status\":\"Won\"}"));

            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
            Set<Long> customers = new HashSet<>();
            responses.forEach(r -> customers.add(r.json().get("customer_id").asLong()));
            assertThat(customers).hasSize(1);
            ApiClient.Response byEmail = onA.get("/customers?email=" + email);
            assertThat(byEmail.header("X-Total-Count")).contains("1");
            assertThat(onB.get("/leads/" + id).json().get("customer_id").asLong())
                    .isEqualTo(customers.iterator().next());
        }
    }

    @Test
    void messagesKeepOneOrderAndOneIdempotencyKeyAcrossProcesses() throws Exception {
        String thread = thread("ann", "ben");
        List<ApiClient.Response> posted = race(
                40, i -> (i % 2 == 0 ? onA : onB).post("/thread/" + thread + "/ann", "{\"message\":\"m" + i + "\"}"));
        assertThat(posted).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(204));
        List<JsonNode> messages = messages(onB, thread);
        assertThat(messages)
                .extracting(m -> m.get("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(messages)
                .extracting(m -> m.get("message").asString())
                .doesNotHaveDuplicates()
                .hasSize(40);

        String keyed = thread("ann", "ben");
        List<ApiClient.Response> once = race(
                10,
                i -> (i % 2 == 0 ? onA : onB)
                        .post("/thread/" + keyed + "/ann", "{\"message\":\"once\"}", "Idempotency-Key", "twin-key"));
        assertThat(once).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(204));
        assertThat(messages(onA, keyed))
                .extracting(m -> m.get("message").asString())
                .containsExactly("once");
        ApiClient.Response reused =
                onB.post("/thread/" + keyed + "/ann", "{\"message\":\"other\"}", "Idempotency-Key", "twin-key");
        assertThat(reused.status()).as(reused.body()).isEqualTo(409);
        assertThat(reused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aSubscriberOnProcessBReceivesAMessagePostedOnProcessA() throws Exception {
        String thread = thread("cat", "dan");
        String danToken = token("dan", "AGENT");
        HttpRequest request = HttpRequest.newBuilder(URI.create(second.base() + "/thread/" + thread + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + danToken)
                .build();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception closed) {
                // the test closed the stream
            }
        });
        try {
            // the subscription is registered on B before anything is posted on A
            String line = lines.poll(15, TimeUnit.SECONDS);
            while (line != null && !line.equals(":connected")) {
                line = lines.poll(15, TimeUnit.SECONDS);
            }
            assertThat(line).as("the stream's 'connected' comment").isEqualTo(":connected");
            ApiClient.Response said = onA.post("/thread/" + thread + "/cat", "{\"message\":\"hello from A\"}");
            assertThat(said.status()).as(said.body()).isEqualTo(204);
            String data = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (data == null && System.nanoTime() < deadline) {
                String next = lines.poll(1, TimeUnit.SECONDS);
                if (next != null && next.startsWith("data:") && next.contains("hello from A")) {
                    data = next.substring(5).strip();
                }
            }
            assertThat(data).as("message.created delivered on B").isNotNull();
            JsonNode event = ApiClient.JSON.readTree(data);
            assertThat(event.get("message").asString()).isEqualTo("hello from A");
            assertThat(event.get("seq").asLong()).isEqualTo(1);
        } finally {
            stream.body().close();
            reader.interrupt();
            http.close();
        }
    }

    @Test
    void aTokenRevokedOnAIsRefusedOnBAtOnce() {
        ApiClient.Response created =
                onA.post("/api/v1/tokens", "{\"username\":\"short-lived\",\"roles\":[\"VIEWER\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").asString();
        long id = created.json().get("id").asLong();
        assertThat(onB.as(token).get("/customers").status()).isEqualTo(200);

        assertThat(onA.delete("/api/v1/tokens/" + id).status()).isIn(200, 204);

        ApiClient.Response refused = onB.as(token).get("/customers");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(onA.as(token).get("/customers").status()).isEqualTo(401);
    }

    @Test
    void gistSessionsAndScansAreSharedByBothProcesses() throws Exception {
        Set<String> all = new HashSet<>();
        WATCHED.forEach(login -> all.addAll(List.of(login + "-g1", login + "-g2")));
        // the scheduled scans (first one at start-up) fill the gist records
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ApiClient.Response firstVisit = onA.get("/getGists");
        while (!new HashSet<>(ids(firstVisit)).equals(all) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            firstVisit = onA.get("/getGists");
        }
        assertThat(ids(firstVisit)).containsExactlyInAnyOrderElementsOf(all);
        String setCookie = firstVisit.header("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        ApiClient.Response onOther = onB.get("/getGists", "Cookie", cookie);
        assertThat(ids(onOther))
                .as("B knows A's session: nothing new since the visit")
                .isEmpty();
        assertThat(ids(onA.get("/getGists", "Cookie", cookie))).isEmpty();
        assertThat(ids(onB.get("/getGists")))
                .as("without the cookie: a new visitor")
                .hasSize(all.size());

        // Let a second cycle pass: each user is scanned once per interval, by one process or the other.
        long firstScan = WATCHED.stream()
                .flatMap(login -> scanTimes(login).stream())
                .min(Long::compare)
                .orElseThrow();
        long wait = firstScan + SCAN_INTERVAL.plusSeconds(15).toMillis() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        for (String login : WATCHED) {
            List<Long> scans = scanTimes(login);
            assertThat(scans)
                    .as("scans of " + login + " in one interval and a bit")
                    .hasSize(2);
            assertThat(scans.get(1) - scans.get(0))
                    .as("one scan of " + login + " per cycle, not one per process")
                    .isGreaterThan(SCAN_INTERVAL.minusSeconds(5).toMillis());
        }
    }

    private List<Long> scanTimes(String login) {
        return github.findAll(getRequestedFor(urlPathEqualTo("/users/" + login + "/gists"))).stream()
                .map(r -> r.getLoggedDate().getTime())
                .sorted()
                .toList();
    }

    private static List<String> ids(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().forEach(node -> ids.add(node.asString()));
        return ids;
    }

    private String thread(String... users) {
        ApiClient.Response created = onA.post("/thread", "{\"users\":[\"" + String.join("\",\"", users) + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("thread_id").asString();
    }

    private String token(String username, String role) {
        ApiClient.Response created =
                onA.post("/api/v1/tokens", "{\"username\":\"" + username + "\",\"roles\":[\"" + role + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("token").asString();
    }

    private static List<JsonNode> messages(ApiClient client, String thread) {
        ApiClient.Response response = client.get("/thread/" + thread);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().get("messages").forEach(list::add);
        return list;
    }

    private static List<ApiClient.Response> race(int count, IntFunction<ApiClient.Response> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        }
    }
}

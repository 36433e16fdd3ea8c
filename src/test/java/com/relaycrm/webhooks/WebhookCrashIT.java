package com.relaycrm.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.RelayJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay is killed with SIGKILL while deliveries are in flight and further events are committed but not yet attempted;
 * another process on the same PostgreSQL revives the dead delivery job and every committed event reaches the receiver,
 * each accepted exactly once.
 */
class WebhookCrashIT {

    private static final String ADMIN = "webhook-crash-admin-token-0123456789";

    @TempDir
    Path temp;

    @Test
    void eventsCommittedBeforeAKillAreDeliveredByTheNextProcess() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.builder()
                        .setDataDirectory(temp.resolve("pg"))
                        .setPort(RelayJar.freePort())
                        .start();
                Receiver receiver = new Receiver()) {
            Map<String, String> env = Map.of(
                    "SPRING_DATASOURCE_URL",
                    "jdbc:postgresql://localhost:" + database.getPort() + "/postgres",
                    "SPRING_DATASOURCE_USERNAME",
                    "postgres",
                    "RELAY_ADMIN_TOKEN",
                    ADMIN,
                    "RELAY_JOBS_POLLING_INTERVAL",
                    "PT0.5S",
                    "RELAY_JOBS_HEARTBEAT_INTERVAL",
                    "PT1S",
                    "RELAY_JOBS_MISSED_HEARTBEATS_LIMIT",
                    "4",
                    "RELAY_WEBHOOKS_ALLOW_PRIVATE",
                    "true",
                    // two instances (each with its own data directory) share the database, so they share the key
                    "RELAY_WEBHOOKS_SECRET_KEY",
                    "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                    "RELAY_WEBHOOKS_TIMEOUT",
                    "PT60S",
                    "RELAY_WEBHOOKS_POLL_INTERVAL",
                    "PT0.2S");
            // Until the kill, the receiver holds every request without answering: the sender waits mid-delivery.
            Instant[] killedAt = {Instant.MAX};
            receiver.respond = request -> request.at().isBefore(killedAt[0])
                    ? new Receiver.Answer(200, Duration.ofSeconds(30))
                    : Receiver.Answer.of(200);
            try (RelayJar first =
                    RelayJar.start(temp, "relay-a", RelayJar.freePort(), env).awaitHealthy(120)) {
                ApiClient onA = first.client(ADMIN);
                ApiClient.Response subscribed = onA.post(
                        "/api/v1/webhooks",
                        "{\"url\":\"%s\",\"events\":[\"employee.created\"]}".formatted(receiver.url("/crash")));
                assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
                createEmployees(onA, "before", 10);
                Receiver.await(
                        "the first attempts to be in flight",
                        Duration.ofSeconds(30),
                        () -> !receiver.requests.isEmpty());
                // committed while the job is stuck on the first batch: never attempted before the kill
                createEmployees(onA, "stuck", 10);
                killedAt[0] = Instant.now();
                first.kill();
            }
            int inFlight = receiver.requests.size();
            assertThat(inFlight).isBetween(1, 10);
            try (RelayJar second =
                    RelayJar.start(temp, "relay-b", RelayJar.freePort(), env).awaitHealthy(120)) {
                Receiver.await(
                        "all 20 events after the restart",
                        Duration.ofSeconds(90),
                        () -> afterKill(receiver, killedAt[0]).size() >= 20);
                Thread.sleep(1500); // a duplicate would arrive within the next polls
                List<Receiver.Request> answered = afterKill(receiver, killedAt[0]);
                Map<String, Long> perMessage = answered.stream()
                        .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
                assertThat(perMessage).hasSize(20);
                assertThat(perMessage.values()).containsOnly(1L);
                Set<String> names = answered.stream()
                        .map(r -> r.json().get("data").get("name").asString())
                        .collect(Collectors.toSet());
                assertThat(names).hasSize(20);
                assertThat(second.output()).contains("Reviving dead execution");
                long id = second.client(ADMIN)
                        .get("/api/v1/webhooks")
                        .json()
                        .get("items")
                        .get(0)
                        .get("id")
                        .asLong();
                Receiver.await(
                        "the log to show 20 successes",
                        Duration.ofSeconds(20),
                        () -> second.client(ADMIN)
                                        .get("/api/v1/webhooks/" + id + "/deliveries?limit=100")
                                        .json()
                                        .get("items")
                                        .valueStream()
                                        .filter(e -> e.get("status").asString().equals("succeeded"))
                                        .count()
                                == 20);
            }
        }
    }

    private static List<Receiver.Request> afterKill(Receiver receiver, Instant killedAt) {
        return receiver.requests.stream().filter(r -> r.at().isAfter(killedAt)).toList();
    }

    private static void createEmployees(ApiClient client, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            ApiClient.Response response = client.post(
                    "/employees",
                    "{\"name\":\"%s\",\"email\":\"%s@relay.test\",\"role\":\"SALES_REP\"}".formatted(name, name));
            assertThat(response.status()).as(response.body()).isEqualTo(201);
        }
    }
}

package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.RelayJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away for ten seconds under load: requests fail fast with 503 problems, /health says DOWN, and
 * everything recovers by itself when the database is back.
 */
class DatabaseOutageIT {

    private static final String ADMIN = "outage-admin-token-0123456789abcdef";

    @TempDir
    Path temp;

    @Test
    void failsFastWhileTheDatabaseIsDownAndRecoversAlone() throws Exception {
        int dbPort = RelayJar.freePort();
        Path pgData = temp.resolve("pg");
        EmbeddedPostgres database = startDatabase(pgData, dbPort);
        int port = RelayJar.freePort();
        RelayJar relay = RelayJar.start(
                temp,
                "relay",
                port,
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        "jdbc:postgresql://localhost:" + dbPort + "/postgres",
                        "SPRING_DATASOURCE_USERNAME",
                        "postgres",
                        "RELAY_ADMIN_TOKEN",
                        ADMIN));
        try {
            ApiClient api = relay.client(ADMIN);
            relay.awaitHealthy(120);

            database.close();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                long started = System.nanoTime();
                List<Future<ApiClient.Response>> load = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    load.add(pool.submit(() -> api.get("/api/v1/tokens")));
                }
                for (Future<ApiClient.Response> response : load) {
                    ApiClient.Response answer = response.get(30, TimeUnit.SECONDS);
                    assertThat(answer.status()).as(answer.body()).isIn(503, 401);
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertThat(seconds).as("40 requests failed fast").isLessThan(20);
            }
            ApiClient.Response health = api.anonymous().get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asString()).isEqualTo("DOWN");

            Thread.sleep(10_000);
            database = startDatabase(pgData, dbPort);
            awaitStatus(api.anonymous(), "/health", 200, 60);
            assertThat(api.get("/api/v1/tokens").status()).isEqualTo(200);
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError(failure + "\n" + relay.diagnostics(), failure);
        } finally {
            relay.close();
            database.close();
        }
    }

    private static EmbeddedPostgres startDatabase(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private static void awaitStatus(ApiClient api, String path, int status, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = api.get(path).status();
                if (last == status) {
                    return;
                }
            } catch (RuntimeException notListening) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never answered " + status + " (last " + last + ")");
    }
}

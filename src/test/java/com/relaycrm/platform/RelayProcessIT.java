package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.relaycrm.testsupport.ApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as operators run it: start, restart, crash recovery, clear start-up failures, external DB. */
class RelayProcessIT {

    private static final Path JAR = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path temp;

    private Process process;
    private int starts;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void startsOnAnEmptyDataDirectoryAndKeepsDataAcrossRestarts() throws Exception {
        Path dataDir = temp.resolve("data");
        int port = freePort();
        long started = System.nanoTime();
        process = start(dataDir, port, Map.of());
        awaitHealthy(port);
        long readyMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.println("Start-up to ready on an empty data directory: " + readyMillis + " ms");
        assertThat(readyMillis).as("start-up time").isLessThan(60_000);

        Path tokenFile = dataDir.resolve("admin-token");
        assertThat(tokenFile).exists();
        assertThat(Files.getPosixFilePermissions(tokenFile))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        String admin = Files.readString(tokenFile).trim();
        ApiClient api = new ApiClient(port, admin);
        ApiClient.Response created = api.post("/api/v1/tokens", "{\"username\":\"kept\",\"roles\":[\"VIEWER\"]}");
        assertThat(created.status()).isEqualTo(201);
        String viewerToken = created.json().get("token").asString();
        assertThat(output())
                .as("the log names the admin token's file, never a token")
                .contains(tokenFile.toAbsolutePath().normalize().toString())
                .doesNotContain(admin)
                .doesNotContain(viewerToken);

        stopGracefully();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

        started = System.nanoTime();
        process = start(dataDir, port, Map.of());
        awaitHealthy(port);
        System.out.println("Restart to ready on an existing data directory: "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertThat(api.get("/api/v1/tokens").body()).contains("\"kept\"");
        assertThat(api.as(viewerToken).get("/health").status()).isEqualTo(200);
        assertThat(Files.readString(tokenFile).trim())
                .as("the admin token is not regenerated")
                .isEqualTo(admin);
        assertThat(output()).doesNotContain(admin).doesNotContain(viewerToken);
    }

    @Test
    void recoversAfterTheProcessIsKilled() throws Exception {
        Path dataDir = temp.resolve("data");
        int port = freePort();
        process = start(dataDir, port, Map.of("RELAY_ADMIN_TOKEN", "configured-admin-token-0123456789"));
        awaitHealthy(port);
        ApiClient api = new ApiClient(port, "configured-admin-token-0123456789");
        assertThat(api.post("/api/v1/tokens", "{\"username\":\"survivor\",\"roles\":[\"SALES\"]}")
                        .status())
                .isEqualTo(201);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(dataDir.resolve("postgres/postmaster.pid")).exists();

        process = start(dataDir, port, Map.of("RELAY_ADMIN_TOKEN", "configured-admin-token-0123456789"));
        awaitHealthy(port);
        assertThat(api.get("/api/v1/tokens").body()).contains("\"survivor\"");
        assertThat(dataDir.resolve("admin-token")).doesNotExist();
    }

    @Test
    void sigtermStopsEmbeddedPostgresCleanly() throws Exception {
        Path dataDir = temp.resolve("data");
        int port = freePort();
        process = start(dataDir, port, Map.of());
        awaitHealthy(port);
        assertThat(postgresServing(dataDir)).as("embedded PostgreSQL runs").isTrue();
        stopGracefully();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(postgresServing(dataDir)).as("embedded PostgreSQL stopped").isFalse();
        assertThat(output()).contains("server stopped");
    }

    @Test
    void portInUseEndsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            process = start(temp.resolve("data"), taken.getLocalPort(), Map.of());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(output().strip())
                    .isEqualTo("Relay cannot start: port " + taken.getLocalPort()
                            + " is already in use (set SERVER_PORT to use another port)");
        }
    }

    @Test
    void unusableDataDirectoryEndsWithOneClearLine() throws Exception {
        Path file = Files.createFile(temp.resolve("not-a-directory"));
        process = start(file.resolve("data"), freePort(), Map.of());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output().strip())
                .startsWith("Relay cannot start: data directory ")
                .endsWith("(set RELAY_DATA_DIR to a writable directory)")
                .doesNotContain("\n");
    }

    @Test
    void databaseUrlSwitchesToAnExternalServer() throws Exception {
        assumeTrue(serverAnswers("127.0.0.1", 5432), "no PostgreSQL server on 127.0.0.1:5432");
        String database = "relay_it_" + UUID.randomUUID().toString().substring(0, 8);
        try (var connection =
                DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            connection.createStatement().execute("CREATE DATABASE " + database);
        }
        try {
            Path dataDir = temp.resolve("data");
            int port = freePort();
            process = start(dataDir, port, Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database));
            awaitHealthy(port);
            assertThat(dataDir.resolve("postgres")).doesNotExist();
            String admin = Files.readString(dataDir.resolve("admin-token")).trim();
            assertThat(new ApiClient(port, admin).get("/api/v1/tokens").status())
                    .isEqualTo(200);
            try (var connection =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "")) {
                var rows = connection.createStatement().executeQuery("SELECT count(*) FROM platform_api_token");
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            stopGracefully();
        } finally {
            try (var connection =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static boolean postgresServing(Path dataDir) {
        String needle = dataDir.resolve("postgres").toString();
        return ProcessHandle.allProcesses().anyMatch(p -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                        .contains(needle);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
    }

    private Process start(Path dataDir, int port, Map<String, String> extraEnv) throws IOException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder(
                        JAVA, "-Xmx512m", "-jar", JAR.toAbsolutePath().toString())
                .directory(temp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(
                        temp.resolve("relay-" + starts + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(
                        name -> name.startsWith("SPRING_") || name.equals("DATABASE_URL") || name.startsWith("RELAY_"));
        env.put("RELAY_DATA_DIR", dataDir.toString());
        env.put("SERVER_PORT", Integer.toString(port));
        env.putAll(new HashMap<>(extraEnv));
        return builder.start();
    }

    private String output() throws IOException {
        Path log = temp.resolve("relay-" + starts + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void stopGracefully() throws Exception {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();
    }

    private void awaitHealthy(int port) throws Exception {
        ApiClient client = new ApiClient(port, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as(() -> "Relay exited early:\n" + safeOutput())
                    .isTrue();
            try {
                if (client.get("/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Relay did not become healthy:\n" + safeOutput());
    }

    private String safeOutput() {
        try {
            return output();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean serverAnswers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package com.relaycrm.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Relay process started from the packaged jar (failsafe tests), with its own log file and port. */
public final class RelayJar implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Path log;
    private final int port;
    private final Process process;

    private RelayJar(Path log, int port, Process process) {
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code java -jar target/relay.jar} in {@code workDir} with a clean environment (no inherited
     * {@code SPRING_*}, {@code RELAY_*}, {@code DATABASE_URL}) plus {@code env}; output goes to
     * {@code workDir/<name>.log}.
     */
    public static RelayJar start(Path workDir, String name, int port, Map<String, String> env) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        JAVA, "-Xmx512m", "-jar", JAR.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(variable -> variable.startsWith("SPRING_")
                        || variable.equals("DATABASE_URL")
                        || variable.startsWith("RELAY_")
                        || variable.startsWith("PIPETEST_")
                        || variable.endsWith("_API_URL"));
        environment.put("RELAY_DATA_DIR", workDir.resolve(name + "-data").toString());
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.putAll(env);
        return new RelayJar(log, port, builder.start());
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://localhost:" + port;
    }

    public ApiClient client(String token) {
        return new ApiClient(port, token);
    }

    public RelayJar awaitHealthy(int seconds) throws InterruptedException {
        ApiClient client = new ApiClient(port, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Relay exited early:\n" + output());
            }
            try {
                if (client.get("/health").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Relay did not become healthy:\n" + output());
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

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

    private final Path workDir;
    private final Path log;
    private final int port;
    private final Process process;

    private RelayJar(Path workDir, Path log, int port, Process process) {
        this.workDir = workDir;
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
                        JAVA,
                        "-Xmx512m",
                        // A crash report lands beside the log, where diagnostics() finds it.
                        "-XX:ErrorFile=" + workDir.resolve(name + "-hs_err_%p.log"),
                        "-jar",
                        JAR.toAbsolutePath().toString())
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
        return new RelayJar(workDir, log, port, builder.start());
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

    /**
     * For a failure message: whether the process still runs (and its exit code if not), the end of its log, and any
     * JVM crash report, so a test that loses its Relay says why without the temporary directory.
     */
    public String diagnostics() {
        StringBuilder text = new StringBuilder();
        text.append("Relay on port ").append(port);
        if (process.isAlive()) {
            text.append(" is running");
        } else {
            text.append(" exited with ").append(process.exitValue());
        }
        String output = output();
        int from = output.length();
        for (int lines = 0; lines < 200 && from > 0; lines++) {
            from = output.lastIndexOf('\n', from - 1);
        }
        text.append("\n--- end of its log ---\n").append(output.substring(Math.max(0, from)));
        try (var files = Files.list(workDir)) {
            for (Path crash : files.filter(file -> file.getFileName().toString().contains("hs_err"))
                    .toList()) {
                String report = Files.readString(crash);
                text.append("\n--- ")
                        .append(crash.getFileName())
                        .append(" ---\n")
                        .append(report, 0, Math.min(report.length(), 4_000));
            }
        } catch (IOException e) {
            text.append("\n(could not list ")
                    .append(workDir)
                    .append(": ")
                    .append(e)
                    .append(')');
        }
        return text.toString();
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

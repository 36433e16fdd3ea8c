package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupPreflightTest {

    @TempDir
    Path temp;

    @Test
    void reportsPortsThatAreTakenOrInvalid() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThat(StartupPreflight.firstProblem(
                            Map.of("SERVER_PORT", Integer.toString(port), "RELAY_DATA_DIR", temp.toString()),
                            new String[0]))
                    .isEqualTo("port " + port + " is already in use (set SERVER_PORT to use another port)");
        }
        assertThat(StartupPreflight.firstProblem(Map.of("SERVER_PORT", "http"), new String[0]))
                .isEqualTo("SERVER_PORT 'http' is not a port number");
        assertThat(StartupPreflight.firstProblem(Map.of("SERVER_PORT", "70000"), new String[0]))
                .contains("outside 0-65535");
    }

    @Test
    void checksTheDataDirectoryOnlyForTheEmbeddedDatabase() throws IOException {
        Path file = Files.createFile(temp.resolve("file"));
        Map<String, String> env = Map.of(
                "SERVER_PORT", "0", "RELAY_DATA_DIR", file.resolve("data").toString());
        assertThat(StartupPreflight.firstProblem(env, new String[0])).contains("cannot be created");
        assertThat(StartupPreflight.firstProblem(
                        Map.of("SERVER_PORT", "0", "RELAY_DATA_DIR", file.toString()), new String[0]))
                .contains("is not a directory");
        assertThat(StartupPreflight.firstProblem(
                        Map.of(
                                "SERVER_PORT",
                                "0",
                                "RELAY_DATA_DIR",
                                file.resolve("data").toString(),
                                "DATABASE_URL",
                                "postgresql://h/d"),
                        new String[0]))
                .isNull();
        assertThat(StartupPreflight.firstProblem(
                        Map.of(
                                "SERVER_PORT",
                                "0",
                                "RELAY_DATA_DIR",
                                temp.resolve("fresh").toString()),
                        new String[0]))
                .isNull();
    }

    @Test
    void commandLineArgumentsWin() {
        assertThat(StartupPreflight.firstProblem(
                        Map.of("SERVER_PORT", "nope"), new String[] {"--server.port=0", "--relay.data-dir=" + temp}))
                .isNull();
    }
}

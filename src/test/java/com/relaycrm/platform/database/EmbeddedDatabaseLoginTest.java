package com.relaycrm.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's embedded PostgreSQL, started as {@link EmbeddedDatabaseConfiguration} starts it: a local user who knows
 * the port cannot log in without the password, and a data directory from before (trust logins) is converted.
 */
class EmbeddedDatabaseLoginTest {

    @TempDir
    Path temp;

    private final EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();

    @Test
    void aNewDataDirectoryRequiresTheGeneratedPassword() throws Exception {
        Path data = temp.resolve("data");
        try (var lock = EmbeddedDatabaseConfiguration.DataDirectoryLock.acquire(data)) {
            EmbeddedDatabaseLogin login = configuration.embeddedDatabaseLogin(lock);
            try (EmbeddedPostgres postgres = configuration.embeddedPostgres(lock, login)) {
                assertLoginNeedsPassword(postgres.getPort(), login.password());
            }
            Path file = data.resolve("postgres-password");
            assertThat(Files.readString(file).strip())
                    .isEqualTo(login.password())
                    .hasSizeGreaterThan(40);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(data.resolve("postgres/pg_hba.conf")))
                    .doesNotContain("trust")
                    .contains("scram-sha-256");

            // A restart keeps the same password and the same rules.
            EmbeddedDatabaseLogin again = configuration.embeddedDatabaseLogin(lock);
            assertThat(again.password()).isEqualTo(login.password());
            try (EmbeddedPostgres postgres = configuration.embeddedPostgres(lock, again)) {
                assertLoginNeedsPassword(postgres.getPort(), login.password());
            }

            // A deleted password file means a new password, set on the next start.
            Files.delete(file);
            EmbeddedDatabaseLogin reset = configuration.embeddedDatabaseLogin(lock);
            assertThat(reset.password()).isNotEqualTo(login.password());
            try (EmbeddedPostgres postgres = configuration.embeddedPostgres(lock, reset)) {
                assertLoginNeedsPassword(postgres.getPort(), reset.password());
            }
        }
    }

    @Test
    void aTrustDataDirectoryFromAnOlderRelayIsMigratedOnStart() throws Exception {
        Path data = temp.resolve("old");
        Path pgData = data.resolve("postgres");
        // What Relay created before: zonky's initdb with trust for everyone on 127.0.0.1.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start()) {
            try (Connection c = DriverManager.getConnection(url(old.getPort()), "postgres", "")) {
                c.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            }
        }
        try (var lock = EmbeddedDatabaseConfiguration.DataDirectoryLock.acquire(data)) {
            EmbeddedDatabaseLogin login = configuration.embeddedDatabaseLogin(lock);
            try (EmbeddedPostgres postgres = configuration.embeddedPostgres(lock, login)) {
                assertLoginNeedsPassword(postgres.getPort(), login.password());
                try (Connection c = DriverManager.getConnection(url(postgres.getPort()), "postgres", login.password());
                        var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("still here");
                }
            }
        }
    }

    private static void assertLoginNeedsPassword(int port, String password) throws SQLException {
        assertThatThrownBy(() ->
                        DriverManager.getConnection(url(port), "postgres", "").close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url(port), "postgres", "wrong-password")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        try (Connection c = DriverManager.getConnection(url(port), "postgres", password);
                var rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }
}

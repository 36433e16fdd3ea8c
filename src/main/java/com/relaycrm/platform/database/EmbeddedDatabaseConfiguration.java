package com.relaycrm.platform.database;

import com.relaycrm.platform.RelayProperties;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(RelayProperties relay) throws IOException {
        Path dir = relay.dataDir().resolve("postgres").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        StalePostmaster.removeIfDead(dir);
        long started = System.nanoTime();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Spring closes the bean after the pool drains; a JVM hook could stop PostgreSQL under live requests.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        log.info("Embedded PostgreSQL started on port {} with data in {} ({} ms)", postgres.getPort(), dir,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        dataSource.setUsername("postgres");
        dataSource.setPoolName("relay-embedded");
        return dataSource;
    }

    /** A kill -9 leaves postmaster.pid behind; PostgreSQL refuses to start while it names a live process. */
    static final class StalePostmaster {

        private StalePostmaster() {
        }

        static void removeIfDead(Path dataDir) throws IOException {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() ? -1 : parsePid(lines.getFirst());
            if (pid > 0 && isPostgres(pid)) {
                throw new IllegalStateException("data directory " + dataDir
                        + " is in use by a running PostgreSQL (pid " + pid + "); is another Relay running?");
            }
            log.warn("Removing stale {} left by a PostgreSQL that is no longer running (pid {})", pidFile, pid);
            Files.delete(pidFile);
        }

        private static long parsePid(String line) {
            try {
                return Long.parseLong(line.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static boolean isPostgres(long pid) {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(handle -> {
                        try {
                            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("postgres");
                        } catch (IOException | UncheckedIOException e) {
                            return handle.info().command().map(c -> c.contains("postgres")).orElse(false);
                        }
                    })
                    .orElse(false);
        }
    }
}

package com.relaycrm.platform.database;

import com.relaycrm.platform.RelayProperties;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** Held for the life of the process: proves no other Relay uses this data directory. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(RelayProperties relay) throws IOException {
        return DataDirectoryLock.acquire(relay.dataDir().toAbsolutePath().normalize());
    }

    @Bean
    EmbeddedDatabaseLogin embeddedDatabaseLogin(DataDirectoryLock lock) throws IOException {
        return EmbeddedDatabaseLogin.forDataDirectory(lock.directory());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DataDirectoryLock lock, EmbeddedDatabaseLogin login) throws IOException {
        Path dir = lock.directory().resolve("postgres");
        Files.createDirectories(dir);
        StalePostmaster.recover(dir);
        long started = System.nanoTime();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(login::secure)
                .setConnectConfig("password", login.password())
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Spring closes the bean after the pool drains; a JVM hook could stop PostgreSQL under live requests.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        log.info(
                "Embedded PostgreSQL started on port {} with data in {} ({} ms)",
                postgres.getPort(),
                dir,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, EmbeddedDatabaseLogin login) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        dataSource.setUsername("postgres");
        dataSource.setPassword(login.password());
        dataSource.setPoolName("relay-embedded");
        return dataSource;
    }

    record DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) implements AutoCloseable {

        static DataDirectoryLock acquire(Path directory) throws IOException {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(
                    directory.resolve("relay.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + directory + " is in use by another running Relay");
            }
            return new DataDirectoryLock(directory, channel, lock);
        }

        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    /**
     * A killed Relay leaves either a stale postmaster.pid (PostgreSQL died too) or an orphaned PostgreSQL still
     * serving its data directory. Holding the data directory lock proves no Relay owns it, so both are recovered.
     */
    static final class StalePostmaster {

        private StalePostmaster() {}

        static void recover(Path dataDir) throws IOException {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() ? -1 : parsePid(lines.getFirst());
            if (pid > 0 && isPostgres(pid)) {
                log.warn("Stopping PostgreSQL (pid {}) orphaned by an earlier Relay on {}", pid, dataDir);
                ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
                handle.destroy();
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    handle.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (Files.deleteIfExists(pidFile)) {
                log.warn("Removed stale {} (pid {})", pidFile, pid);
            }
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
                            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                                    .contains("postgres");
                        } catch (IOException | UncheckedIOException e) {
                            return handle.info()
                                    .command()
                                    .map(c -> c.contains("postgres"))
                                    .orElse(false);
                        }
                    })
                    .orElse(false);
        }
    }
}

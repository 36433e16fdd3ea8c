package com.relaycrm.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * One PostgreSQL server per test JVM (embedded, or the server named by {@code RELAY_TEST_DB_URL}), one database
 * migrated once as a template, and a fresh clone of it for every test context.
 */
public final class TestDatabase {

    public static final String USER = "postgres";
    private static TestDatabase instance;

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String prefix = "relay_t_" + UUID.randomUUID().toString().substring(0, 8);
    private final String template = prefix + "_template";
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> created = new ArrayList<>();
    private final boolean external;

    private TestDatabase(String serverUrl, String user, String password, boolean external) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.external = external;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
            instance.createTemplate();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::dropCreated));
        }
        return instance;
    }

    public boolean external() {
        return external;
    }

    private static TestDatabase start() {
        String configured = System.getenv("RELAY_TEST_DB_URL");
        if (configured != null && !configured.isBlank()) {
            return fromUrl(configured.trim());
        }
        try {
            var dir = Files.createTempDirectory("relay-test-pg");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            return new TestDatabase("jdbc:postgresql://localhost:" + postgres.getPort() + "/", USER, "", false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts {@code postgresql://user:pass@host:port/db} or a JDBC URL; the database part is ignored. */
    static TestDatabase fromUrl(String url) {
        String plain = url.startsWith("jdbc:") ? url.substring(5) : url;
        URI uri = URI.create(plain.replaceFirst("^postgres(ql)?:", "http:"));
        String user = USER;
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("user=")) {
                user = pair.substring(5);
            } else if (pair.startsWith("password=")) {
                password = pair.substring(9);
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        return new TestDatabase("jdbc:postgresql://" + uri.getHost() + ":" + port + "/", user, password, true);
    }

    public String jdbcUrl(String database) {
        return serverUrl + database + "?reWriteBatchedInserts=true";
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private void createTemplate() {
        execute("CREATE DATABASE " + template);
        created.add(template);
        Flyway.configure()
                .dataSource(jdbcUrl(template), user, password)
                .locations("classpath:db/migration")
                .outOfOrder(true)
                .load()
                .migrate();
    }

    /** A new database holding the migrated schema and no rows. */
    public synchronized String freshDatabase() {
        String name = prefix + "_" + counter.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        created.add(name);
        return name;
    }

    /** An empty database without any migration, for start-up tests. */
    public synchronized String emptyDatabase() {
        String name = prefix + "_empty_" + counter.incrementAndGet();
        execute("CREATE DATABASE " + name);
        created.add(name);
        return name;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + sql, e);
        }
    }

    private void dropCreated() {
        if (!external) {
            return;
        }
        for (String name : created.reversed()) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException ignored) {
                // best effort: the CI machine is thrown away anyway
            }
        }
    }
}

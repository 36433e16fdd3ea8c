package com.relaycrm.messaging.threads;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds one connection of its own (not from the pool, which would lose a LISTEN on return) that LISTENs to the
 * messaging channel and hands each event to the hub. When the connection breaks it reconnects with back-off and asks
 * the hub to replay from the database whatever was committed meanwhile.
 */
@Component
class NotificationListener implements SmartLifecycle {

    static final String APPLICATION_NAME = "relay-messaging-listener";
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int POLL_MILLIS = 500;
    private static final Duration VALIDATE_EVERY = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final ThreadEventHub hub;
    private volatile boolean running;
    private volatile boolean listening;
    private volatile @Nullable Connection connection;
    private @Nullable Thread worker;
    private final CountDownLatch firstListen = new CountDownLatch(1);

    NotificationListener(DataSource dataSource, ThreadEventHub hub) {
        this.dataSource = dataSource;
        this.hub = hub;
    }

    boolean listening() {
        return listening;
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().daemon().name("messaging-listener").start(this::listen);
        // Ready means listening: a stream opened right after start-up must not miss the first message.
        try {
            if (!firstListen.await(5, TimeUnit.SECONDS)) {
                log.warn("Messaging listener is not connected yet; realtime events resume once it is");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        long backoff = 250;
        boolean reconnecting = false;
        while (running) {
            try (Connection listener = connect()) {
                connection = listener;
                try (Statement statement = listener.createStatement()) {
                    statement.execute("LISTEN " + Threads.CHANNEL);
                }
                listening = true;
                if (reconnecting) {
                    log.info("Messaging listener reconnected");
                }
                // Anything committed while nobody listened (start-up included) is replayed to current subscribers.
                hub.catchUp();
                firstListen.countDown();
                backoff = 250;
                reconnecting = true;
                receive(listener);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                log.warn("Messaging listener connection failed ({}); reconnecting in {} ms", e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                reconnecting = true;
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void receive(Connection listener) throws SQLException {
        PGConnection postgres = listener.unwrap(PGConnection.class);
        long validated = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    try {
                        hub.dispatch(ThreadEvent.parse(notification.getParameter()));
                    } catch (RuntimeException e) {
                        log.warn("Ignoring malformed messaging notification", e);
                    }
                }
            }
            // A silently dropped connection gives no error on a blocking poll; a round trip finds out.
            if (System.nanoTime() - validated > VALIDATE_EVERY.toNanos()) {
                try (Statement statement = listener.createStatement()) {
                    statement.execute("SELECT 1");
                }
                validated = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        Properties properties = new Properties();
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException ignored) {
                // closing is best effort; the thread exits on its next poll anyway
            }
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

package com.relaycrm.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import com.zaxxer.hikari.HikariDataSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A client that goes away in the middle of a large export: the query that fed it stops (a CSV's COPY is cancelled, an
 * NDJSON's cursor closed; neither is left running nor read to its end), and its connection goes back to the pool idle
 * and usable rather than closed.
 */
class ExportDisconnectHttpTest extends HttpTestSupport {

    private static final int VISITS = 300_000;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aDisconnectMidExportCancelsTheCopyAndLeavesThePoolHealthy() throws Exception {
        BulkVisits.insert(jdbc, VISITS);

        for (String format : List.of("csv", "ndjson")) {
            long pid;
            try (Socket socket = new Socket("localhost", port)) {
                OutputStream request = socket.getOutputStream();
                request.write(("GET /api/v1/atendimento?format=" + format + " HTTP/1.1\r\nHost: localhost\r\n"
                                + "Authorization: Bearer " + FreshDatabaseCustomizerFactory.ADMIN_TOKEN + "\r\n"
                                + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                request.flush();
                InputStream response = socket.getInputStream();
                byte[] start = response.readNBytes(4096);
                assertThat(new String(start, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
                // the query is running, held up by a client that stopped reading (pg_stat_activity keeps only
                // the first 1 KB of a query's text, so it is told by its start)
                pid = eventually(
                        () -> jdbc.sql("""
                                        SELECT pid FROM pg_stat_activity
                                        WHERE query ~ '^(COPY \\(SELECT|SELECT) v\\.id, ' AND state <> 'idle'
                                          AND pid <> pg_backend_pid()""").query(Long.class).optional(),
                        "the export's query running (CSV: a COPY; NDJSON: a cursor)");
                // a reset rather than a polite close: the server's next write fails at once
                socket.setSoLinger(true, 0);
            }

            long copyPid = pid;
            eventually(
                    // the pool may already have lent that connection to this very query: then it is in use, fine
                    () -> jdbc.sql("""
                                    SELECT CASE WHEN pid = pg_backend_pid() THEN 'idle' ELSE state END
                                    FROM pg_stat_activity WHERE pid = ?""")
                            .param(copyPid)
                            .query(String.class)
                            .optional()
                            .filter("idle"::equals),
                    "the export's connection idle again (not closed, not in a transaction, not running)");
            assertThat(jdbc.sql("""
                                    SELECT count(*) FROM pg_stat_activity
                                    WHERE query ~ '^(COPY \\(SELECT|SELECT) v\\.id, ' AND state <> 'idle'
                                      AND pid <> pg_backend_pid()""").query(Long.class).single()).isZero();
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            eventually(
                    () -> Optional.of(pool.getHikariPoolMXBean().getActiveConnections())
                            .filter(active -> active == 0),
                    "no connection still borrowed");
        }

        // the pool serves the next export in full
        ApiClient.Response whole = api.get("/api/v1/atendimento?format=csv&id_cliente=7");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body().split("\r\n", -1)).hasSize(VISITS / 5000 + 2);
    }

    private static <T> T eventually(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}

package com.relaycrm.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whole-list exports of the list endpoints: {@code Accept: text/csv} or {@code format=csv} streams RFC 4180 CSV
 * (UTF-8, header row, CRLF, {@code bom=true} for Excel), {@code Accept: application/x-ndjson} or
 * {@code format=ndjson} one JSON object per line, each object the list's JSON item.
 *
 * <p>Rows are written as the module's query reads them (a cursor with a fetch size inside a read-only transaction,
 * or PostgreSQL's own CSV through {@link #copy}), so nothing holds the whole result. The body is written
 * asynchronously ({@link StreamingResponseBody}), outside the request admission gate, as SSE streams are; an export
 * counts against the caller's rate-limit budget as one request per started {@value #ROWS_PER_REQUEST} rows: the first
 * is the request itself, every further one is charged when its first row is about to be written, and a refused charge
 * ends the transfer there (without the final chunk, so the client sees an incomplete response, never a short file
 * passing as whole).
 */
@Component
public class Exports {

    /** For the list operations' OpenAPI summaries. */
    public static final String NOTE = " With Accept text/csv or application/x-ndjson (or format=csv or ndjson; bom=true"
            + " adds a byte order mark for Excel) the whole filtered list streams in the same order, without paging.";

    public static final int ROWS_PER_REQUEST = 10_000;
    public static final int FETCH_SIZE = 2_000;
    public static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    public static final MediaType NDJSON = new MediaType("application", "x-ndjson", StandardCharsets.UTF_8);

    private final JsonMapper json;
    private final RequestBudget budget;
    private final TransactionTemplate readOnly;
    private final DataSource dataSource;

    Exports(JsonMapper json, RequestBudget budget, PlatformTransactionManager transactions, DataSource dataSource) {
        this.json = json;
        this.budget = budget;
        this.dataSource = dataSource;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public enum Format {
        CSV,
        NDJSON
    }

    /** Reads the rows in list order, passing each to {@code row}; runs inside a read-only transaction. */
    @FunctionalInterface
    public interface Rows<T> {
        void forEach(Consumer<? super T> row);
    }

    /**
     * The export the request asks for, or null for the list's JSON page: {@code format} (csv, ndjson or json) wins
     * over {@code Accept}; anything else in {@code format} is a 400.
     */
    public @Nullable Format requested(Map<String, String> params, HttpServletRequest request) {
        String format = params.get("format");
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> Format.CSV;
                case "ndjson" -> Format.NDJSON;
                case "json" -> null;
                default -> throw ApiProblem.badParameter("format", "must be csv, ndjson or json");
            };
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return null;
        }
        String types = accept.toLowerCase(Locale.ROOT);
        if (types.contains("text/csv")) {
            return Format.CSV;
        }
        if (types.contains("application/x-ndjson")) {
            return Format.NDJSON;
        }
        return null;
    }

    /**
     * Streams {@code rows} as {@code format}; {@code columns} are the JSON item's field names (the CSV header and
     * order; a field the item leaves out is an empty cell). {@code name} is the download's file name without
     * extension.
     */
    public <T> StreamingResponseBody stream(
            Format format,
            String name,
            List<String> columns,
            Map<String, String> params,
            HttpServletRequest request,
            Rows<T> rows) {
        boolean bom = bom(params.get("bom"));
        Actor actor = Actor.current();
        String path = request.getRequestURI();
        StreamingResponseBody body = out -> apart(stop -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            long[] written = {0};
            readOnly.executeWithoutResult(status -> {
                try {
                    if (format == Format.CSV) {
                        if (bom) {
                            writer.write('\uFEFF');
                        }
                        writeCsvRow(writer, columns);
                    }
                    rows.forEach(row -> {
                        if (written[0] > 0 && written[0] % ROWS_PER_REQUEST == 0) {
                            charge(actor, path);
                        }
                        if (stop.get()) {
                            throw new UncheckedIOException(new IOException(ABANDONED));
                        }
                        write(writer, format, columns, row);
                        written[0]++;
                    });
                    writer.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
        attachment(format, name);
        return body;
    }

    /**
     * A list exported as CSV by PostgreSQL itself, {@code COPY (query) TO STDOUT}, its bytes passed on as they arrive:
     * for a million visits about a third of the CPU of reading rows into Java and writing their cells again.
     * {@code query} is a SELECT with the list's filters and order, its named parameters ({@code :name}) taken from
     * {@code values} and written into it as literals (COPY takes no bind parameters; see {@link SqlLiterals}). Its
     * columns are the cells of {@code columns}, in that order, each as {@link #stream} would write the JSON list's
     * value: {@link #instantSql} for timestamps, {@code 'true'}/{@code 'false'} for booleans, text that others
     * supplied through {@link CsvCells#neutraliseSql}.
     *
     * <p>PostgreSQL sends one protocol message per row, so rows are counted as they come and the budget is charged
     * as {@link #stream} does. When the transfer ends early (client gone, budget refused) the statement is cancelled
     * and what was already in flight is read and dropped, so the connection goes back to the pool idle, not in the
     * middle of a COPY. (NDJSON stays with {@link #stream}: {@code json_build_object} per row measured slower than
     * Jackson, and its text is a tenth larger.)
     */
    public StreamingResponseBody copyCsv(
            String name,
            List<String> columns,
            String query,
            Map<String, ?> values,
            Map<String, String> params,
            HttpServletRequest request) {
        boolean bom = bom(params.get("bom"));
        Actor actor = Actor.current();
        String path = request.getRequestURI();
        StreamingResponseBody body = out -> apart(stop -> {
            OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
            readOnly.executeWithoutResult(status -> {
                Connection connection = DataSourceUtils.getConnection(dataSource);
                try {
                    if (bom) {
                        buffered.write(BOM);
                    }
                    buffered.write(header(columns));
                    PGConnection postgres = connection.unwrap(PGConnection.class);
                    copyRows(postgres, SqlLiterals.inline(query, values, postgres), buffered, actor, path, stop);
                    buffered.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (SQLException e) {
                    throw new IllegalStateException("export query failed: " + e.getSQLState(), e);
                } finally {
                    DataSourceUtils.releaseConnection(connection, dataSource);
                }
            });
        });
        attachment(Format.CSV, name);
        return body;
    }

    private static final String ABANDONED = "export abandoned by its request (timeout or client gone)";

    /** An export's work, given the flag its request sets when it gives up. */
    @FunctionalInterface
    private interface Work {
        void run(AtomicBoolean stop);
    }

    /**
     * Runs an export's database work on a thread of its own and waits for it. Spring interrupts the thread of a
     * streamed body when the client goes away, and an interrupted virtual thread closes the socket it is reading:
     * the database connection, halfway through ending its query cleanly (Hikari then throws the connection away).
     * Here the request's thread only raises {@code stop}; the work ends at its next row, or at once when its write
     * fails, and rolls back on a connection that stays usable. A platform thread, because a virtual one parks and is
     * woken for each wait on PostgreSQL's rows: twice the JVM's CPU for a million-row COPY (1.8 s vs 0.9 s).
     */
    private static void apart(Work work) {
        AtomicBoolean stop = new AtomicBoolean();
        FutureTask<@Nullable Void> task = new FutureTask<>(() -> {
            work.run(stop);
            return null;
        });
        Thread.ofPlatform().daemon().name("export").start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        } catch (ExecutionException e) {
            throw new ExportAborted(e.getCause() == null ? e : e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] CRLF = {'\r', '\n'};

    private void copyRows(
            PGConnection postgres, String query, OutputStream out, Actor actor, String path, AtomicBoolean stop)
            throws SQLException, IOException {
        CopyOut copy = postgres.getCopyAPI().copyOut("COPY (" + query + ") TO STDOUT WITH (FORMAT csv)");
        boolean complete = false;
        try {
            long written = 0;
            for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
                if (written > 0 && written % ROWS_PER_REQUEST == 0) {
                    charge(actor, path);
                }
                if (stop.get()) {
                    throw new IOException(ABANDONED);
                }
                // PostgreSQL ends a row with LF (line breaks inside quoted cells stay as they are); RFC 4180 and
                // the other exports end it with CRLF.
                out.write(row, 0, row.length - 1);
                out.write(CRLF);
                written++;
            }
            complete = true;
        } finally {
            if (!complete && copy.isActive()) {
                abandon(postgres, copy);
            }
        }
    }

    /**
     * Stops a COPY whose rows nobody will read. The driver's own {@link CopyOut#cancelCopy()} only sends the cancel
     * request and leaves the rows already sent, the error and the ready-for-query in the socket, which the next
     * statement on the connection (the rollback) would trip over; reading them out ends the COPY cleanly.
     */
    private static void abandon(PGConnection postgres, CopyOut copy) {
        try {
            postgres.cancelQuery();
        } catch (SQLException e) {
            // reading on drains the COPY to its end instead: slower, same outcome
        }
        try {
            while (copy.readFromCopy() != null) {
                // dropped
            }
        } catch (SQLException expected) {
            // "canceling statement due to user request": the COPY is over and the connection ready again
        }
    }

    private static byte[] header(List<String> columns) throws IOException {
        StringWriter header = new StringWriter();
        writeCsvRow(header, columns);
        return header.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The PostgreSQL expression writing {@code instant}, an expression of type timestamp with time zone, as the JSON
     * lists do ({@link java.time.Instant#toString()}): UTC, {@code T} and {@code Z}, the fraction in groups of three
     * digits and left out when zero.
     */
    public static String instantSql(String instant) {
        return ("replace(replace(to_char({t} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                        + " '.000000Z', 'Z'), '000Z', 'Z')")
                .replace("{t}", instant);
    }

    /**
     * Set on the response itself: the handler of StreamingResponseBody is chosen by the returned value (list methods
     * return either their JSON page or this), and a {@code ResponseEntity<?>} would hide its body type.
     */
    private static void attachment(Format format, String name) {
        HttpServletResponse response =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getResponse();
        if (response != null) {
            String extension = format == Format.CSV ? ".csv" : ".ndjson";
            response.setContentType((format == Format.CSV ? CSV : NDJSON).toString());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + extension + "\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    private void charge(Actor actor, String path) {
        if (budget.enabled() && !budget.chargeToken(actor.tokenId(), path).allowed()) {
            throw new ExportBudgetExhausted();
        }
    }

    /** Ends an export whose next 10,000 rows the budget refused. */
    static final class ExportBudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExportBudgetExhausted() {
            super("rate-limit budget exhausted during an export", null, false, false);
        }
    }

    /**
     * An export that failed after its first bytes were sent (budget refused, database gone, client gone). The problem
     * handler lets it through to the container, which then closes the connection at once: the client sees a broken
     * transfer rather than a complete-looking, short file.
     */
    public static final class ExportAborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExportAborted(Throwable cause) {
            super("export aborted: " + cause.getClass().getSimpleName(), cause);
        }
    }

    private static boolean bom(@Nullable String bom) {
        if (bom == null || bom.isBlank() || bom.strip().equals("false")) {
            return false;
        }
        if (bom.strip().equals("true")) {
            return true;
        }
        throw ApiProblem.badParameter("bom", "must be true or false");
    }

    private void write(Writer writer, Format format, List<String> columns, Object row) {
        try {
            if (format == Format.NDJSON) {
                writer.write(json.writeValueAsString(row));
                writer.write('\n');
                return;
            }
            JsonNode node = json.valueToTree(row);
            String[] cells = new String[columns.size()];
            for (int i = 0; i < cells.length; i++) {
                JsonNode value = node.get(columns.get(i));
                if (value == null || value.isNull() || value.isMissingNode()) {
                    cells[i] = "";
                } else if (value.isString()) {
                    cells[i] = CsvCells.neutralise(value.asString());
                } else if (value.isValueNode()) {
                    cells[i] = value.asString();
                } else {
                    cells[i] = CsvCells.neutralise(json.writeValueAsString(value));
                }
            }
            writeCsvRow(writer, List.of(cells));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180: a cell with a comma, quote, CR or LF is quoted, quotes doubled; rows end with CRLF. */
    private static void writeCsvRow(Writer writer, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                writer.write(',');
            }
            String cell = cells.get(i);
            boolean quote = false;
            for (int k = 0; k < cell.length() && !quote; k++) {
                char c = cell.charAt(k);
                quote = c == ',' || c == '"' || c == '\r' || c == '\n';
            }
            if (quote) {
                writer.write('"');
                writer.write(cell.replace("\"", "\"\""));
                writer.write('"');
            } else {
                writer.write(cell);
            }
        }
        writer.write("\r\n");
    }
}

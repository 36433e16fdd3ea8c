package com.relaycrm.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
 * <p>Rows are written as the module's query reads them (a cursor with a fetch size inside a read-only transaction),
 * so nothing holds the whole result. The body is written asynchronously ({@link StreamingResponseBody}), outside the
 * request admission gate, as SSE streams are; an export counts against the caller's rate-limit budget as one request
 * per started {@value #ROWS_PER_REQUEST} rows: the first is the request itself, every further one is charged when its
 * first row is about to be written, and a refused charge ends the transfer there (without the final chunk, so the
 * client sees an incomplete response, never a short file passing as whole).
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

    Exports(JsonMapper json, RequestBudget budget, PlatformTransactionManager transactions) {
        this.json = json;
        this.budget = budget;
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
        return stream(format, name, columns, null, params, request, rows);
    }

    /**
     * As the plain stream, with {@code cells} giving a row's CSV cells in column order directly (strings, numbers,
     * booleans or null, each as its JSON value would read): for large lists whose items hold only such values, it
     * spares a JSON tree per row (a third of a million-row export's time).
     */
    public <T> StreamingResponseBody stream(
            Format format,
            String name,
            List<String> columns,
            java.util.function.@Nullable Function<? super T, @Nullable Object[]> cells,
            Map<String, String> params,
            HttpServletRequest request,
            Rows<T> rows) {
        boolean bom = bom(params.get("bom"));
        Actor actor = Actor.current();
        String path = request.getRequestURI();
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            long[] written = {0};
            try {
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
                            if (cells != null && format == Format.CSV) {
                                writeCells(writer, cells.apply(row));
                            } else {
                                write(writer, format, columns, row);
                            }
                            written[0]++;
                        });
                        writer.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (RuntimeException e) {
                throw new ExportAborted(e);
            }
        };
        // Set on the response itself: the handler of StreamingResponseBody is chosen by the returned value (list
        // methods return either their JSON page or this), and a ResponseEntity<?> would hide its body type.
        HttpServletResponse response =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getResponse();
        if (response != null) {
            String extension = format == Format.CSV ? ".csv" : ".ndjson";
            response.setContentType((format == Format.CSV ? CSV : NDJSON).toString());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + extension + "\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        return body;
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

    private static void writeCells(Writer writer, @Nullable Object[] values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            cells[i] = value == null ? "" : value instanceof String text ? CsvCells.neutralise(text) : value.toString();
        }
        try {
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

package com.relaycrm.fieldservice.imports;

import com.relaycrm.fieldservice.domain.DayFirstDates;
import com.relaycrm.fieldservice.domain.Names;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Turns one CSV record into a visit row or the first reason it cannot be one. */
final class RowValidation {

    record Row(
            long line,
            long idAtendimento,
            long idCliente,
            String angel,
            String polo,
            LocalDate dataLimite,
            @Nullable LocalDateTime dataDeAtendimento) {}

    record RowError(
            long line, @Nullable String column, @Nullable String value, String code, String message, String raw) {}

    /** Either {@code row} or {@code error} is set. */
    record Outcome(@Nullable Row row, @Nullable RowError error) {}

    /** Distinct names and deadlines remembered per import; a real file has hundreds of each, not millions. */
    private static final int MAX_REMEMBERED = 100_000;

    private final CsvLayout layout;
    /**
     * Valid names by their text as written: each spelling is normalized and checked once, and every row of the same
     * angel or polo shares one String, whose cached hash makes the writer's name-to-id lookups cheap.
     */
    private final Map<String, String> names = new HashMap<>();
    /** Deadlines by their text: a file spans a few hundred days, so each is parsed once. */
    private final Map<String, LocalDate> deadlines = new HashMap<>();

    RowValidation(CsvLayout layout) {
        this.layout = layout;
    }

    Outcome validate(CsvRecords.Record record) {
        List<String> fields = record.fields();
        if (record.unclosedQuote()) {
            return error(
                    record, null, null, "UNCLOSED_QUOTE", "a quoted field is not closed before the end of the file");
        }
        if (fields.size() != layout.fieldCount()) {
            return error(
                    record,
                    null,
                    String.valueOf(fields.size()),
                    "FIELD_COUNT",
                    "expected " + layout.fieldCount() + " fields, found " + fields.size());
        }
        int[] index = layout.columnIndex();
        String idText = fields.get(index[CsvLayout.ID_ATENDIMENTO]).strip();
        long idAtendimento = positiveLong(idText);
        if (idAtendimento <= 0) {
            return numberError(record, "id_atendimento", idText, idAtendimento);
        }
        String clienteText = fields.get(index[CsvLayout.ID_CLIENTE]).strip();
        long idCliente = positiveLong(clienteText);
        if (idCliente <= 0) {
            return numberError(record, "id_cliente", clienteText, idCliente);
        }
        String angelText = fields.get(index[CsvLayout.ANGEL]);
        String angel = names.get(angelText);
        if (angel == null) {
            angel = Names.normalize(angelText);
            Outcome nameProblem = nameError(record, "angel", angel);
            if (nameProblem != null) {
                return nameProblem;
            }
            remember(angelText, angel);
        }
        String poloText = fields.get(index[CsvLayout.POLO]);
        String polo = names.get(poloText);
        if (polo == null) {
            polo = Names.normalize(poloText);
            Outcome nameProblem = nameError(record, "polo", polo);
            if (nameProblem != null) {
                return nameProblem;
            }
            remember(poloText, polo);
        }
        String limitText = fields.get(index[CsvLayout.DATA_LIMITE]).strip();
        if (limitText.isEmpty()) {
            return error(record, "data_limite", limitText, "REQUIRED", "data_limite is required");
        }
        LocalDate limitDate = deadlines.get(limitText);
        if (limitDate == null) {
            DayFirstDates.Parsed limit = DayFirstDates.parse(limitText);
            if (!limit.ok()) {
                return dateError(record, "data_limite", limitText, limit);
            }
            limitDate = Objects.requireNonNull(limit.date(), "ok() checked above");
            if (deadlines.size() < MAX_REMEMBERED) {
                deadlines.put(limitText, limitDate);
            }
        }
        String visitText = fields.get(index[CsvLayout.DATA_DE_ATENDIMENTO]).strip();
        LocalDateTime visited = null;
        if (!visitText.isEmpty()) {
            DayFirstDates.Parsed parsed = DayFirstDates.parse(visitText);
            if (!parsed.ok()) {
                return dateError(record, "data_de_atendimento", visitText, parsed);
            }
            visited = parsed.dateTime();
        }
        return new Outcome(new Row(record.line(), idAtendimento, idCliente, angel, polo, limitDate, visited), null);
    }

    private void remember(String written, String name) {
        if (names.size() < MAX_REMEMBERED) {
            // the same normalized name from another spelling shares the first one's instance
            String shared = names.getOrDefault(name, name);
            names.put(written, shared);
            names.putIfAbsent(shared, shared);
        }
    }

    /** The value, 0 when blank, -1 when not digits, -2 when too large or zero. */
    private static long positiveLong(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (text.length() > 19) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return -1;
                }
            }
            return -2;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -2;
            }
        }
        return value == 0 ? -2 : value;
    }

    private static Outcome numberError(CsvRecords.Record record, String column, String text, long code) {
        if (code == 0) {
            return error(record, column, text, "REQUIRED", column + " is required");
        }
        if (code == -1) {
            return error(record, column, text, "INVALID_INTEGER", column + " must be a whole number");
        }
        return error(record, column, text, "OUT_OF_RANGE", column + " must be between 1 and " + Long.MAX_VALUE);
    }

    private static @Nullable Outcome nameError(CsvRecords.Record record, String column, String name) {
        if (name.isEmpty()) {
            return error(record, column, name, "REQUIRED", column + " is required");
        }
        if (name.length() > Names.MAX_LENGTH) {
            return error(
                    record,
                    column,
                    name.substring(0, 50) + "...",
                    "TOO_LONG",
                    column + " must be at most " + Names.MAX_LENGTH + " characters");
        }
        if (Names.hasControlCharacters(name)) {
            return error(record, column, name, "CONTROL_CHARACTERS", column + " must not contain control characters");
        }
        return null;
    }

    private static Outcome dateError(
            CsvRecords.Record record, String column, String text, DayFirstDates.Parsed parsed) {
        if (parsed.problem() == DayFirstDates.Problem.IMPOSSIBLE) {
            return error(record, column, text, "IMPOSSIBLE_DATE", column + " is not a valid calendar date");
        }
        return error(
                record,
                column,
                text,
                "INVALID_DATE",
                column + " is not a day-first date in an accepted format (" + DayFirstDates.ACCEPTED + ")");
    }

    static Outcome error(
            CsvRecords.Record record, @Nullable String column, @Nullable String value, String code, String message) {
        return new Outcome(null, new RowError(record.line(), column, value, code, message, record.raw()));
    }
}

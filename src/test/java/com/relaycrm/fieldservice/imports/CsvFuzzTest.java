package com.relaycrm.fieldservice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.testsupport.FuzzBudget;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the field-service CSV reader ({@link CsvRecords}), header reader ({@link CsvLayout}) and
 * row parser ({@link RowValidation}); see docs/FUZZING.md. In {@code ./mvnw verify} it replays the committed inputs
 * under {@code CsvFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class CsvFuzzTest {

    private static final char[] DELIMITERS = {';', ',', '\t'};
    private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

    /**
     * Arbitrary text through the whole import path: the header is either rejected with a 400 {@link ApiProblem} (the
     * documented rejection) or read; every record is then either a row or a row error, never an exception; the reader
     * ends, never returns an empty record, and its line numbers start at 1 and only grow.
     */
    @FuzzTest(maxDuration = "2m")
    void importText(byte[] input) throws Throwable {
        FuzzBudget.within(() -> importTextOnce(input));
    }

    private static void importTextOnce(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        char requested = switch (input[0] & 3) {
            case 0 -> 0;
            case 1 -> ';';
            case 2 -> ',';
            default -> '\t';
        };
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String header = text.lines().findFirst().orElse("");
        CsvLayout layout;
        try {
            layout = CsvLayout.fromHeader(header, requested);
        } catch (ApiProblem rejected) {
            assertThat(rejected.status().value()).isEqualTo(400);
            layout = new CsvLayout(requested == 0 ? ';' : requested, 6, new int[] {0, 1, 2, 3, 4, 5});
        }
        assertThat(layout.columnIndex()).hasSize(CsvLayout.REQUIRED.size());
        RowValidation validation = new RowValidation(layout);
        CsvRecords records = new CsvRecords(new StringReader(text), layout.delimiter());
        long lastLine = 0;
        int count = 0;
        CsvRecords.Record record;
        while ((record = records.next()) != null) {
            count++;
            assertThat(count).as("records").isLessThanOrEqualTo(text.length());
            assertThat(record.fields()).isNotEmpty();
            assertThat(record.line()).isGreaterThan(lastLine);
            lastLine = record.line();
            RowValidation.Outcome outcome = validation.validate(record);
            assertThat(outcome.row() == null).isNotEqualTo(outcome.error() == null);
            if (outcome.error() != null) {
                assertThat(outcome.error().line()).isEqualTo(record.line());
                assertThat(outcome.error().code()).isNotBlank();
            } else {
                assertThat(outcome.row().idAtendimento()).isPositive();
                assertThat(outcome.row().idCliente()).isPositive();
                assertThat(outcome.row().dataLimite()).isNotNull();
            }
        }
        assertThat(records.next()).isNull();
    }

    /**
     * Round trip: records built from the input (U+0000 separates records, U+0001 fields) are written as RFC 4180 CSV
     * (quoting when needed or when the input asks for it, mixed line ends) and read back field for field, each on the
     * physical line it was written on.
     */
    @FuzzTest(maxDuration = "2m")
    void roundTrip(byte[] input) throws Throwable {
        FuzzBudget.within(() -> roundTripOnce(input));
    }

    private static void roundTripOnce(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int flags = input[0] & 0xff;
        char delimiter = DELIMITERS[flags % 3];
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        List<List<String>> written = new ArrayList<>();
        for (String recordText : text.split("\u0000", -1)) {
            List<String> fields = Arrays.asList(recordText.split("\u0001", -1));
            written.add(fields);
        }
        StringBuilder csv = new StringBuilder();
        List<Long> startLines = new ArrayList<>();
        long line = 1;
        List<List<String>> expected = new ArrayList<>();
        for (int r = 0; r < written.size(); r++) {
            List<String> fields = written.get(r);
            String end = LINE_ENDS[(flags / 3 + r) % 3];
            if (end.equals("\n") && !csv.isEmpty() && csv.charAt(csv.length() - 1) == '\r') {
                end = "\r\n"; // a lone LF after a lone CR would read as one CRLF line end
            }
            boolean blank = fields.size() == 1 && fields.getFirst().isEmpty();
            if (blank && ((flags >> 6) & 1) == 0) {
                // A blank line: skipped by the reader.
                csv.append(end);
                line++;
                continue;
            }
            startLines.add(line);
            expected.add(fields);
            for (int f = 0; f < fields.size(); f++) {
                if (f > 0) {
                    csv.append(delimiter);
                }
                String field = fields.get(f);
                boolean quote = ((flags >> 7) & 1) == 1
                        || (blank && f == 0)
                        || field.indexOf('"') >= 0
                        || field.indexOf(delimiter) >= 0
                        || field.indexOf('\r') >= 0
                        || field.indexOf('\n') >= 0;
                if (quote) {
                    csv.append('"').append(field.replace("\"", "\"\"")).append('"');
                    line += lineBreaks(field);
                } else {
                    csv.append(field);
                }
            }
            boolean last = r == written.size() - 1;
            if (!last || ((flags >> 5) & 1) == 1) {
                csv.append(end);
                line++;
            }
        }

        CsvRecords records = new CsvRecords(new StringReader(csv.toString()), delimiter);
        List<List<String>> read = new ArrayList<>();
        List<Long> readLines = new ArrayList<>();
        CsvRecords.Record record;
        while ((record = records.next()) != null) {
            if (read.size() > expected.size()) {
                fail("more records read than written from %s", csv);
            }
            assertThat(record.unclosedQuote()).isFalse();
            read.add(record.fields());
            readLines.add(record.line());
        }
        assertThat(read).as("records read back from %s", csv).isEqualTo(expected);
        assertThat(readLines).as("start lines in %s", csv).isEqualTo(startLines);
    }

    private static long lineBreaks(String text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }
}

package com.relaycrm.fieldservice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The buffer-cutting CSV reader against the character-at-a-time reference ({@link ReferenceCsvRecords}) on random
 * texts made of the characters that matter (delimiters, quotes, CR, LF, spaces, multi-byte and astral characters),
 * read through buffers from one character up and through a reader that hands out one character per call, so every
 * record, field, quote pair and CRLF also crosses the buffer's end.
 */
class CsvRecordsDifferentialTest {

    private static final String[] PIECES = {
        "a", "b", "12", " ", ";", ",", "\t", "\"", "\"\"", "\r", "\n", "\r\n", "é", "😀", "x y"
    };

    @Test
    void readsEveryTextAsTheReferenceDoes() throws IOException {
        Random random = new Random(20261203);
        int[] bufferSizes = {1, 2, 3, 5, 8, 64 * 1024};
        for (int round = 0; round < 20_000; round++) {
            String text = randomText(random);
            char delimiter = new char[] {';', ',', '\t'}[random.nextInt(3)];
            List<String> expected = reference(text, delimiter);
            int size = bufferSizes[round % bufferSizes.length];
            assertThat(read(new CsvRecords(new StringReader(text), delimiter, size)))
                    .as("text %s, delimiter %s, buffer %d", escape(text), escape("" + delimiter), size)
                    .isEqualTo(expected);
            assertThat(read(new CsvRecords(new OneCharReader(text), delimiter, size)))
                    .as("text %s one character per read, buffer %d", escape(text), size)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aRecordLongerThanTheBufferIsReadWhole() throws IOException {
        String longField = "v".repeat(10_000);
        String text = "1;\"" + longField + "\r\n" + longField + "\";" + longField + "\n2;3";
        assertThat(read(new CsvRecords(new StringReader(text), ';', 16))).isEqualTo(reference(text, ';'));
        CsvRecords records = new CsvRecords(new StringReader(text), ';', 16);
        CsvRecords.Record first = records.next();
        assertThat(first).isNotNull();
        assertThat(first.fields()).containsExactly("1", longField + "\r\n" + longField, longField);
        assertThat(first.raw()).hasSize(text.indexOf('\n', 20_010));
        CsvRecords.Record second = records.next();
        assertThat(second).isNotNull();
        assertThat(second.line()).isEqualTo(3);
        assertThat(second.fields()).containsExactly("2", "3");
        assertThat(records.next()).isNull();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(30);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static List<String> read(CsvRecords records) throws IOException {
        List<String> out = new ArrayList<>();
        CsvRecords.Record r;
        while ((r = records.next()) != null) {
            out.add(describe(r.line(), r.fields(), r.raw(), r.unclosedQuote()));
        }
        return out;
    }

    private static List<String> reference(String text, char delimiter) throws IOException {
        ReferenceCsvRecords records = new ReferenceCsvRecords(new StringReader(text), delimiter);
        List<String> out = new ArrayList<>();
        ReferenceCsvRecords.Record r;
        while ((r = records.next()) != null) {
            out.add(describe(r.line(), r.fields(), r.raw(), r.unclosedQuote()));
        }
        return out;
    }

    private static String describe(long line, List<String> fields, String raw, boolean unclosedQuote) {
        return line + " " + fields + " raw=" + escape(raw) + " unclosed=" + unclosedQuote;
    }

    private static String escape(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    /** Hands out one character per read call, as a slow stream may. */
    private static final class OneCharReader extends Reader {
        private final String text;
        private int at;

        OneCharReader(String text) {
            this.text = text;
        }

        @Override
        public int read(char[] target, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            target[offset] = text.charAt(at++);
            return 1;
        }

        @Override
        public void close() {}
    }
}

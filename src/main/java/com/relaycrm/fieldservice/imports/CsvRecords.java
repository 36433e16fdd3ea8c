package com.relaycrm.fieldservice.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Streams CSV records from a reader: quoted fields (with doubled quotes and line breaks inside), CR, LF or CRLF
 * line ends, blank lines skipped. Each record knows the physical line it starts on and its raw text. A quote opens
 * a quoted field only as the field's first character; after the closing quote, the rest of the field is kept as
 * written.
 *
 * <p>Fields and the raw text are cut out of the read buffer whole (a record that crosses the buffer's end is moved to
 * its start first, and the buffer grows for a record longer than itself); only quoted fields are copied character
 * by character. This reader runs once per CSV row, and the character-at-a-time version spent most of an import's
 * parsing time appending to builders.
 */
final class CsvRecords {

    record Record(long line, List<String> fields, String raw, boolean unclosedQuote) {}

    private final Reader reader;
    private final char delimiter;
    private char[] buffer;
    /** Where the record being read starts in the buffer; offsets within a record are relative to it. */
    private int recordStart;

    private int limit;
    private boolean eof;
    private long line = 1;
    private final StringBuilder quoted = new StringBuilder(64);

    CsvRecords(Reader reader, char delimiter) {
        this(reader, delimiter, 64 * 1024);
    }

    /** With a given starting buffer size; tests use tiny ones to cross the buffer's end everywhere. */
    CsvRecords(Reader reader, char delimiter, int bufferSize) {
        this.reader = reader;
        this.delimiter = delimiter;
        this.buffer = new char[Math.max(1, bufferSize)];
    }

    /**
     * Makes the character at {@code offset} in the current record readable, moving the record to the buffer's start
     * (and growing the buffer when the record fills it) to read more; false when the input ends before it.
     */
    private boolean has(int offset) throws IOException {
        while (recordStart + offset >= limit) {
            if (eof) {
                return false;
            }
            int kept = limit - recordStart;
            if (recordStart > 0) {
                System.arraycopy(buffer, recordStart, buffer, 0, kept);
            } else if (kept == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            recordStart = 0;
            limit = kept;
            int read = reader.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }
        return true;
    }

    private char at(int offset) {
        return buffer[recordStart + offset];
    }

    /** The next record, or null at the end of the input. */
    @Nullable
    Record next() throws IOException {
        while (has(0)) {
            char c = at(0);
            if (c != '\r' && c != '\n') {
                return record();
            }
            // a blank line
            int length = c == '\r' && has(1) && at(1) == '\n' ? 2 : 1; // has() may move the record
            recordStart += length;
            line++;
        }
        return null;
    }

    private Record record() throws IOException {
        long startLine = line;
        List<String> fields = new ArrayList<>(8);
        int i = 0;
        int fieldBegin = 0;
        // the text of a field that opened with a quote, up to its closing quote (null for a plain field)
        String quotedPart = null;
        while (true) {
            if (!has(i)) {
                fields.add(field(quotedPart, fieldBegin, i));
                return end(startLine, fields, i, i, false);
            }
            char c = at(i);
            if (c == delimiter) {
                fields.add(field(quotedPart, fieldBegin, i));
                quotedPart = null;
                i++;
                fieldBegin = i;
            } else if (c == '\n' || c == '\r') {
                fields.add(field(quotedPart, fieldBegin, i));
                int next = c == '\r' && has(i + 1) && at(i + 1) == '\n' ? i + 2 : i + 1;
                line++;
                return end(startLine, fields, i, next, false);
            } else if (c == '"' && i == fieldBegin && quotedPart == null) {
                // a quoted field: read to its closing quote, then keep reading the field as written
                quoted.setLength(0);
                i++;
                while (true) {
                    if (!has(i)) {
                        fields.add(quoted.toString());
                        return end(startLine, fields, i, i, true);
                    }
                    char q = at(i);
                    if (q == '"') {
                        if (has(i + 1) && at(i + 1) == '"') {
                            quoted.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n' || (q == '\r' && !(has(i + 1) && at(i + 1) == '\n'))) {
                        line++;
                    }
                    quoted.append(q);
                    i++;
                }
                quotedPart = quoted.toString();
                fieldBegin = i;
            } else {
                i++;
            }
        }
    }

    /** Finishes the record: its raw text is {@code [0, rawEnd)}, and the next record starts at {@code next}. */
    private Record end(long startLine, List<String> fields, int rawEnd, int next, boolean unclosedQuote) {
        String raw = new String(buffer, recordStart, rawEnd);
        recordStart += next;
        return new Record(startLine, fields, raw, unclosedQuote);
    }

    private String field(@Nullable String quotedPart, int from, int to) {
        String plain = new String(buffer, recordStart + from, to - from);
        if (quotedPart == null) {
            return plain;
        }
        return plain.isEmpty() ? quotedPart : quotedPart + plain;
    }
}

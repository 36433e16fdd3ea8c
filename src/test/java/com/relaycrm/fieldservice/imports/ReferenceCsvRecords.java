package com.relaycrm.fieldservice.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The first CSV reader, kept as the oracle of {@code CsvRecordsDifferentialTest}: one character at a time, simple
 * enough to read as the specification. The production reader cuts fields out of its buffer instead.
 *
 * Streams CSV records from a reader: quoted fields (with doubled quotes and line breaks inside), CR, LF or CRLF
 * line ends, blank lines skipped. Each record knows the physical line it starts on and its raw text.
 */
final class ReferenceCsvRecords {

    record Record(long line, List<String> fields, String raw, boolean unclosedQuote) {}

    private final Reader reader;
    private final char delimiter;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long line = 1;
    private final StringBuilder field = new StringBuilder(64);
    private final StringBuilder raw = new StringBuilder(256);

    ReferenceCsvRecords(Reader reader, char delimiter) {
        this.reader = reader;
        this.delimiter = delimiter;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = reader.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit) {
            limit = reader.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position];
    }

    /** The next record, or null at the end of the input. */
    @Nullable
    Record next() throws IOException {
        while (true) {
            int c = peek();
            if (c == -1) {
                return null;
            }
            if (c == '\r' || c == '\n') {
                // a blank line
                read();
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                continue;
            }
            return record();
        }
    }

    private Record record() throws IOException {
        long start = line;
        List<String> fields = new ArrayList<>(8);
        raw.setLength(0);
        field.setLength(0);
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            int c = read();
            if (c == -1) {
                fields.add(field.toString());
                return new Record(start, fields, raw.toString(), quoted);
            }
            if (quoted) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                        raw.append("\"\"");
                    } else {
                        quoted = false;
                        raw.append('"');
                    }
                    continue;
                }
                if (c == '\n' || (c == '\r' && peek() != '\n')) {
                    line++;
                }
                field.append((char) c);
                raw.append((char) c);
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                raw.append((char) c);
                fieldStart = true;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                fields.add(field.toString());
                return new Record(start, fields, raw.toString(), false);
            }
            raw.append((char) c);
            if (c == '"' && fieldStart && field.toString().isBlank()) {
                // Quotes open a field only at its start (spaces before them are dropped with the quotes).
                field.setLength(0);
                quoted = true;
                fieldStart = false;
                continue;
            }
            fieldStart = false;
            field.append((char) c);
        }
    }
}

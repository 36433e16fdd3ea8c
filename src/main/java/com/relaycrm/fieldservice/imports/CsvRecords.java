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
    private int position;
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
     * Keeps {@code buffer[keepFrom..limit)}, moved to the start, and reads more after it (growing the buffer when the
     * kept part fills it). Returns how far the kept part moved; sets {@code eof} when the reader has no more.
     */
    private int fill(int keepFrom) throws IOException {
        int kept = limit - keepFrom;
        if (keepFrom > 0) {
            System.arraycopy(buffer, keepFrom, buffer, 0, kept);
        } else if (kept == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        position -= keepFrom;
        limit = kept;
        while (!eof && limit < buffer.length) {
            int read = reader.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                eof = true;
            } else if (read > 0) {
                limit += read;
                break;
            }
        }
        return keepFrom;
    }

    /** True when {@code buffer[at]} holds a character (callers fill first). */
    private boolean available(int at) {
        return at < limit;
    }

    /** The next record, or null at the end of the input. */
    @Nullable
    Record next() throws IOException {
        while (true) {
            if (position == limit) {
                fill(position);
                if (position == limit) {
                    return null;
                }
            }
            char c = buffer[position];
            if (c != '\r' && c != '\n') {
                return record();
            }
            // a blank line
            position++;
            if (c == '\r') {
                if (position == limit) {
                    fill(position);
                }
                if (available(position) && buffer[position] == '\n') {
                    position++;
                }
            }
            line++;
        }
    }

    private Record record() throws IOException {
        long startLine = line;
        List<String> fields = new ArrayList<>(8);
        int start = position;
        int i = position;
        int fieldBegin = i;
        // the text of a field that opened with a quote, up to its closing quote (null for a plain field)
        String quotedPart = null;
        while (true) {
            if (i == limit) {
                position = i;
                int shift = fill(start);
                start -= shift;
                fieldBegin -= shift;
                i -= shift;
                if (i == limit) {
                    fields.add(field(quotedPart, fieldBegin, i));
                    position = i;
                    return new Record(startLine, fields, new String(buffer, start, i - start), false);
                }
            }
            char c = buffer[i];
            if (c == delimiter) {
                fields.add(field(quotedPart, fieldBegin, i));
                quotedPart = null;
                i++;
                fieldBegin = i;
                continue;
            }
            if (c == '\n' || c == '\r') {
                fields.add(field(quotedPart, fieldBegin, i));
                String raw = new String(buffer, start, i - start);
                i++;
                line++;
                position = i;
                if (c == '\r') {
                    if (position == limit) {
                        fill(position);
                    }
                    if (available(position) && buffer[position] == '\n') {
                        position++;
                    }
                }
                return new Record(startLine, fields, raw, false);
            }
            if (c == '"' && i == fieldBegin && quotedPart == null) {
                // a quoted field: read to its closing quote, then keep reading the field as written
                quoted.setLength(0);
                i++;
                boolean closed = false;
                while (!closed) {
                    if (i == limit) {
                        position = i;
                        int shift = fill(start);
                        start -= shift;
                        fieldBegin -= shift;
                        i -= shift;
                        if (i == limit) {
                            fields.add(quoted.toString());
                            position = i;
                            return new Record(startLine, fields, new String(buffer, start, i - start), true);
                        }
                    }
                    char q = buffer[i];
                    if (q == '"') {
                        if (i + 1 == limit) {
                            position = i;
                            int shift = fill(start);
                            start -= shift;
                            fieldBegin -= shift;
                            i -= shift;
                        }
                        if (available(i + 1) && buffer[i + 1] == '"') {
                            quoted.append('"');
                            i += 2;
                        } else {
                            closed = true;
                            i++;
                        }
                        continue;
                    }
                    if (q == '\n') {
                        line++;
                    } else if (q == '\r') {
                        if (i + 1 == limit) {
                            position = i;
                            int shift = fill(start);
                            start -= shift;
                            fieldBegin -= shift;
                            i -= shift;
                        }
                        if (!available(i + 1) || buffer[i + 1] != '\n') {
                            line++;
                        }
                    }
                    quoted.append(q);
                    i++;
                }
                quotedPart = quoted.toString();
                fieldBegin = i;
                continue;
            }
            i++;
        }
    }

    private String field(@Nullable String quotedPart, int from, int to) {
        if (quotedPart == null) {
            return new String(buffer, from, to - from);
        }
        return from == to ? quotedPart : quotedPart + new String(buffer, from, to - from);
    }
}

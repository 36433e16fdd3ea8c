package com.relaycrm.fieldservice.imports;

import com.relaycrm.platform.ApiProblem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Checks an upload block by block as it is stored: every byte valid in the declared encoding (else a 400 naming the
 * line) and the header line complete with the required columns. Holds one block and the header, never the file.
 */
final class UploadCheck {

    private static final int MAX_HEADER = 64 * 1024;

    private final Charset charset;
    private final CharsetDecoder decoder;
    private final char requestedDelimiter;
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private final StringBuilder header = new StringBuilder();
    private @Nullable CsvLayout layout;
    private long line = 1;
    private boolean first = true;
    private boolean sawContent;

    UploadCheck(Charset charset, char requestedDelimiter) {
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.requestedDelimiter = requestedDelimiter;
    }

    void accept(byte[] block, int length) {
        ByteBuffer input;
        if (pending.hasRemaining()) {
            input = ByteBuffer.allocate(pending.remaining() + length);
            input.put(pending).put(block, 0, length).flip();
        } else {
            input = ByteBuffer.wrap(block, 0, length);
        }
        decode(input, false);
        pending = input.hasRemaining()
                ? ByteBuffer.allocate(input.remaining()).put(input).flip()
                : ByteBuffer.allocate(0);
    }

    /** Ends the upload; returns the layout read from the header. */
    CsvLayout finish() {
        decode(pending, true);
        chars.clear();
        CoderResult result = decoder.flush(chars);
        if (result.isError()) {
            throw invalidBytes();
        }
        scan();
        if (layout == null) {
            if (!sawContent) {
                throw ApiProblem.badRequest("Empty file: the CSV has no header line");
            }
            layout = CsvLayout.fromHeader(stripBom(header.toString()), requestedDelimiter);
        }
        return layout;
    }

    private void decode(ByteBuffer input, boolean end) {
        while (true) {
            chars.clear();
            CoderResult result = decoder.decode(input, chars, end);
            scan();
            if (result.isError()) {
                throw invalidBytes();
            }
            if (result.isUnderflow()) {
                return;
            }
        }
    }

    private ApiProblem invalidBytes() {
        return ApiProblem.badRequest("The file has bytes that are not valid " + charset.name() + " on line " + line
                        + (charset.equals(StandardCharsets.UTF_8)
                                ? "; if it was saved by Excel, retry with encoding=windows-1252"
                                : ""))
                .with("line", line)
                .with("encoding", charset.name());
    }

    private void scan() {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n') {
                line++;
            }
            if (layout == null) {
                if (c == '\n' || c == '\r') {
                    if (!header.toString().isBlank()) {
                        layout = CsvLayout.fromHeader(header.toString(), requestedDelimiter);
                    } else {
                        header.setLength(0);
                    }
                } else {
                    sawContent = true;
                    if (header.length() >= MAX_HEADER) {
                        throw ApiProblem.badRequest("The CSV header line is longer than " + MAX_HEADER + " characters");
                    }
                    header.append(c);
                }
            }
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}

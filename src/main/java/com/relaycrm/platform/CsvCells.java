package com.relaycrm.platform;

import org.jspecify.annotations.Nullable;

/**
 * CSV cells that a spreadsheet opens safely. A cell whose first character after leading spaces is {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return is read as a formula by Excel, LibreOffice and Google
 * Sheets (CSV injection, OWASP); such a cell is prefixed with a single quote, which those programs show as text.
 * Everything Relay writes as CSV from values someone else supplied goes through {@link #cell}.
 */
public final class CsvCells {

    private CsvCells() {}

    /** The value, prefixed with {@code '} when a spreadsheet would read it as a formula; {@code null} is "". */
    public static String neutralise(@Nullable String value) {
        if (value == null) {
            return "";
        }
        int i = 0;
        while (i < value.length() && value.charAt(i) == ' ') {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        return switch (value.charAt(i)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }

    /**
     * {@link #neutralise} as a PostgreSQL expression over the text expression {@code text} (a column reference: it is
     * repeated), for exports whose CSV PostgreSQL writes itself ({@code COPY ... TO STDOUT}): the same rule, and an
     * empty text becomes NULL so that COPY writes an empty cell as {@code Exports} does, not {@code ""}. The first
     * character settles almost every row, so the pattern only runs for texts starting with a space or one of the
     * characters.
     */
    public static String neutraliseSql(String text) {
        return ("CASE WHEN ascii({t}) IN (0, 9, 13, 32, 43, 45, 61, 64)"
                        + " THEN NULLIF(CASE WHEN {t} ~ E'^ *[-=+@\\t\\r]' THEN '''' || {t} ELSE {t} END, '')"
                        + " ELSE {t} END")
                .replace("{t}", text);
    }

    /** A neutralised cell, quoted (RFC 4180) when it holds a delimiter ({@code ,} or {@code ;}), quote or line break. */
    public static String cell(@Nullable String value) {
        String safe = neutralise(value);
        return needsQuotes(safe) ? quote(safe) : safe;
    }

    /** A neutralised cell, always quoted: for free text such as a rejected line kept as it came. */
    public static String quoted(@Nullable String value) {
        return quote(neutralise(value));
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            switch (value.charAt(i)) {
                case ',', ';', '"', '\n', '\r' -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}

package com.relaycrm.platform;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Named parameters ({@code :name}) written into the SQL text as literals, for the one statement that takes no bind
 * parameters: {@code COPY (SELECT ...) TO STDOUT}. Strings are escaped by the driver itself
 * ({@link PGConnection#escapeLiteral}, which follows the server's {@code standard_conforming_strings}); other values
 * are numbers, booleans and dates rendered from their Java value, never from client text. Quoted strings, quoted
 * identifiers, comments and {@code ::} casts in the SQL are copied as they are.
 */
final class SqlLiterals {

    private SqlLiterals() {}

    static String inline(String sql, Map<String, ?> values, PGConnection connection) throws SQLException {
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = quotedEnd(sql, i, c == '\'' && escapeString(sql, i));
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && isNameStart(sql.charAt(i + 1))) {
                int end = i + 2;
                while (end < n && isNamePart(sql.charAt(end))) {
                    end++;
                }
                String name = sql.substring(i + 1, end);
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("no value for the SQL parameter :" + name);
                }
                literal(out, values.get(name), connection);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** E'...' strings take backslash escapes, so a backslashed quote does not end them. */
    private static boolean escapeString(String sql, int quote) {
        if (quote == 0 || Character.toUpperCase(sql.charAt(quote - 1)) != 'E') {
            return false;
        }
        return quote == 1 || !isNamePart(sql.charAt(quote - 2));
    }

    private static int quotedEnd(String sql, int start, boolean backslashEscapes) {
        char quote = sql.charAt(start);
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated quote in SQL");
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static void literal(StringBuilder out, @Nullable Object value, PGConnection connection)
            throws SQLException {
        switch (value) {
            case null -> out.append("NULL");
            case Boolean b -> out.append(b ? "TRUE" : "FALSE");
            case Long number -> number(out, number);
            case Integer number -> number(out, number);
            case Short number -> number(out, number);
            case String text ->
                out.append('\'').append(connection.escapeLiteral(text)).append('\'');
            case Enum<?> constant ->
                out.append('\'')
                        .append(connection.escapeLiteral(constant.name()))
                        .append('\'');
            case LocalDate date -> out.append("DATE '").append(date).append('\'');
            case LocalDateTime time -> out.append("TIMESTAMP '").append(time).append('\'');
            case OffsetDateTime time -> out.append("TIMESTAMPTZ '").append(time).append('\'');
            case Instant time -> out.append("TIMESTAMPTZ '").append(time).append('\'');
            case Collection<?> list -> {
                if (list.isEmpty()) {
                    out.append("NULL");
                }
                boolean first = true;
                for (Object element : list) {
                    if (element instanceof Collection<?>) {
                        throw new IllegalArgumentException("nested collections are not SQL literals");
                    }
                    if (!first) {
                        out.append(", ");
                    }
                    literal(out, element, connection);
                    first = false;
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "no SQL literal for a " + value.getClass().getName());
        }
    }

    /** A negative number in parentheses: after a minus sign it would otherwise start a comment. */
    private static void number(StringBuilder out, long number) {
        if (number < 0) {
            out.append('(').append(number).append(')');
        } else {
            out.append(number);
        }
    }
}

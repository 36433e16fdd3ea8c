package com.relaycrm.sales.shared;

import com.relaycrm.platform.ApiProblem;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads list query parameters so that every bad value is a 400 naming the parameter, never a 500. Unknown
 * parameters are ignored (cache busters and the like).
 */
public final class QueryParams {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private final Map<String, String> params;

    public QueryParams(Map<String, String> params) {
        this.params = params;
    }

    public @Nullable String text(String name, int maxLength) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badParameter(
                    name, "must be at most " + maxLength + " characters without control characters");
        }
        return text;
    }

    public @Nullable Long longValue(String name, long min, long max) {
        String text = text(name, 20);
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badParameter(name, "must be an integer between " + min + " and " + max);
    }

    public int skip() {
        Long skip = longValue("skip", 0, Integer.MAX_VALUE);
        return skip == null ? 0 : skip.intValue();
    }

    public int limit() {
        Long limit = longValue("limit", 1, MAX_LIMIT);
        return limit == null ? DEFAULT_LIMIT : limit.intValue();
    }

    public @Nullable String oneOf(String name, Collection<String> allowed) {
        String text = text(name, 100);
        if (text != null && !allowed.contains(text)) {
            throw ApiProblem.badParameter(name, "must be one of " + String.join(", ", allowed));
        }
        return text;
    }

    public @Nullable Boolean bool(String name) {
        String text = text(name, 5);
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badParameter(name, "must be true or false");
        };
    }

    /**
     * An instant bound: a date-time with offset, or a date meaning the start of that day (UTC); with
     * {@code endOfDay} a date means the start of the next day, so {@code created_to=2025-01-31} includes that day.
     */
    public @Nullable OffsetDateTime instant(String name, boolean endOfDay) {
        String text = text(name, 60);
        if (text == null) {
            return null;
        }
        OffsetDateTime instant;
        try {
            instant = OffsetDateTime.parse(text);
        } catch (DateTimeParseException notDateTime) {
            try {
                LocalDate day = LocalDate.parse(text);
                instant = (endOfDay ? day.plusDays(1) : day).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                throw ApiProblem.badParameter(
                        name, "must be a date (2025-01-31) or a date-time with offset " + "(2025-01-31T10:00:00Z)");
            }
        }
        // java.time accepts years PostgreSQL cannot store; refuse them here rather than fail in the query
        if (!Fields.plausibleYear(instant.getYear())) {
            throw ApiProblem.badParameter(
                    name, "must be between the years " + Fields.MIN_YEAR + " and " + Fields.MAX_YEAR);
        }
        return instant;
    }

    /** A {@code LIKE} pattern for "contains, case-insensitive"; wildcards in the input match literally. */
    public @Nullable String containsPattern(String name) {
        String text = text(name, 255);
        if (text == null) {
            return null;
        }
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}

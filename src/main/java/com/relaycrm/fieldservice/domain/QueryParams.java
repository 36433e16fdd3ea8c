package com.relaycrm.fieldservice.domain;

import com.relaycrm.platform.ApiProblem;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Strict reading of query parameters: a bad value is a 400 naming the parameter, never a 500 or a silent default. */
public final class QueryParams {

    private final Map<String, String> values;

    public QueryParams(Map<String, String> values) {
        this.values = values;
    }

    public @Nullable String text(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.length() > 200 || Names.hasControlCharacters(trimmed)) {
            throw ApiProblem.badParameter(name, "must be at most 200 characters without control characters");
        }
        return trimmed;
    }

    public @Nullable Long longValue(String name, long min, long max) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badParameter(name, "must be an integer between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ApiProblem.badParameter(name, "must be an integer between " + min + " and " + max);
        }
        return value;
    }

    public int intValue(String name, int min, int max, int fallback) {
        Long value = longValue(name, min, max);
        return value == null ? fallback : value.intValue();
    }

    public @Nullable LocalDate date(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badParameter(name, "must be an ISO date such as 2021-06-30");
        }
    }

    public @Nullable Boolean bool(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badParameter(name, "must be true or false");
        };
    }

    public @Nullable String oneOf(String name, java.util.List<String> allowed) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        if (!allowed.contains(text)) {
            throw ApiProblem.badParameter(name, "must be one of " + String.join(", ", allowed));
        }
        return text;
    }

    public void range(String fromName, @Nullable LocalDate from, String toName, @Nullable LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiProblem.badParameter(fromName, "must not be after " + toName);
        }
    }
}

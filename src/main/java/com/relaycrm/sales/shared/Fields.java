package com.relaycrm.sales.shared;

import com.relaycrm.platform.JsonInput;
import java.time.LocalDate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Field rules shared by employees, leads and customers. */
public final class Fields {

    private static final Pattern PHONE = Pattern.compile("[0-9 +()\\-]{6,20}");

    public static final int MIN_YEAR = 1900;
    public static final int MAX_YEAR = 9999;

    private Fields() {}

    public static boolean plausibleYear(int year) {
        return year >= MIN_YEAR && year <= MAX_YEAR;
    }

    /** A calendar date in a range PostgreSQL and people both understand. */
    public static @Nullable LocalDate date(JsonInput input, String field, boolean required) {
        LocalDate date = input.date(field, required);
        if (date != null && !plausibleYear(date.getYear())) {
            input.reject(field, "must be between the years " + MIN_YEAR + " and " + MAX_YEAR);
            return null;
        }
        return date;
    }

    public static @Nullable String phone(JsonInput input, String field) {
        String text = input.string(field, 0, 40, false);
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (!PHONE.matcher(text).matches() || text.chars().noneMatch(Character::isDigit)) {
            input.reject(field, "must be 6-20 characters of digits, spaces and + - ( )");
            return null;
        }
        return text;
    }

    /** An id that must be a positive integer. */
    public static @Nullable Long id(JsonInput input, String field, boolean required) {
        return input.longValue(field, 1, Long.MAX_VALUE, required);
    }
}

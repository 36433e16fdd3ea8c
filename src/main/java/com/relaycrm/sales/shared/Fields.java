package com.relaycrm.sales.shared;

import com.relaycrm.platform.JsonInput;
import java.util.regex.Pattern;

/** Field rules shared by employees, leads and customers. */
public final class Fields {

    private static final Pattern PHONE = Pattern.compile("[0-9 +()\\-]{6,20}");

    private Fields() {
    }

    public static String phone(JsonInput input, String field) {
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
    public static Long id(JsonInput input, String field, boolean required) {
        return input.longValue(field, 1, Long.MAX_VALUE, required);
    }
}

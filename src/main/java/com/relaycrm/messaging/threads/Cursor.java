package com.relaycrm.messaging.threads;

import com.relaycrm.platform.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Opaque paging cursors: base64url of a position the server chose, so clients cannot build or bend them. */
final class Cursor {

    /** Pages backward from the newest message: {@code GET /thread/{id}?before=end}. */
    static final String END = "end";

    private static final Pattern SEQ = Pattern.compile("s([0-9]{1,18})");
    private static final Pattern ACTIVITY = Pattern.compile("a(-?[0-9]{1,19})\\.([0-9a-f-]{36})");

    private Cursor() {}

    static String ofSeq(long seq) {
        return encode("s" + seq);
    }

    static long seq(String parameter, String cursor) {
        if (END.equals(cursor) && "before".equals(parameter)) {
            return Long.MAX_VALUE;
        }
        Matcher matcher = SEQ.matcher(decode(parameter, cursor));
        if (!matcher.matches()) {
            throw invalid(parameter);
        }
        return Long.parseLong(matcher.group(1));
    }

    record Activity(Instant at, UUID threadId) {}

    static String ofActivity(Instant at, UUID threadId) {
        return encode("a" + ChronoUnit.MICROS.between(Instant.EPOCH, at) + "." + threadId);
    }

    static Activity activity(String parameter, String cursor) {
        Matcher matcher = ACTIVITY.matcher(decode(parameter, cursor));
        if (!matcher.matches()) {
            throw invalid(parameter);
        }
        try {
            return new Activity(
                    Instant.EPOCH.plus(Long.parseLong(matcher.group(1)), ChronoUnit.MICROS),
                    UUID.fromString(matcher.group(2)));
        } catch (RuntimeException e) {
            throw invalid(parameter);
        }
    }

    /** {@code limit}: 1-1000 (default 1000 for messages). */
    static int limit(@Nullable String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400 below
        }
        throw ApiProblem.badParameter("limit", "must be an integer between 1 and " + max);
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String parameter, String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 100) {
            throw invalid(parameter);
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid(parameter);
        }
    }

    private static ApiProblem invalid(String parameter) {
        return ApiProblem.badParameter(parameter, "is not a valid cursor; use a cursor from a previous response");
    }
}

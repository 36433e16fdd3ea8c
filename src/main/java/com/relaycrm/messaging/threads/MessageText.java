package com.relaycrm.messaging.threads;

import com.relaycrm.platform.FieldError;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Rules for message text and usernames, shared by the HTTP API and the module facade. */
final class MessageText {

    static final int MAX_CODE_POINTS = 280;
    static final int MAX_USERNAME = 64;

    private MessageText() {}

    /** Counts code points, so 280 emoji (560 UTF-16 units) still fit. Line breaks and tabs are allowed. */
    static Optional<FieldError> problem(String field, @Nullable String text) {
        if (text == null) {
            return Optional.of(new FieldError(field, "is required"));
        }
        int length = text.codePointCount(0, text.length());
        if (length == 0) {
            return Optional.of(new FieldError(field, "must not be empty"));
        }
        if (length > MAX_CODE_POINTS) {
            return Optional.of(
                    new FieldError(field, "must be at most " + MAX_CODE_POINTS + " characters (got " + length + ")"));
        }
        if (text.isBlank()) {
            return Optional.of(new FieldError(field, "must not be blank"));
        }
        if (!wellFormed(text, true)) {
            return Optional.of(new FieldError(field, "must not contain control characters or unpaired surrogates"));
        }
        return Optional.empty();
    }

    /** A username after trimming: 1-64 code points, no control characters. */
    static Optional<FieldError> usernameProblem(String field, @Nullable String username) {
        if (username == null) {
            return Optional.of(new FieldError(field, "is required"));
        }
        int length = username.codePointCount(0, username.length());
        if (length < 1 || length > MAX_USERNAME) {
            return Optional.of(new FieldError(field, "must be 1-" + MAX_USERNAME + " characters"));
        }
        if (!wellFormed(username, false)) {
            return Optional.of(new FieldError(field, "must not contain control characters or unpaired surrogates"));
        }
        return Optional.empty();
    }

    /** PostgreSQL text cannot hold NUL and UTF-8 cannot hold a lone surrogate: both must be refused, not stored. */
    private static boolean wellFormed(String text, boolean allowLineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else if (Character.isISOControl(c) && !(allowLineBreaks && (c == '\n' || c == '\r' || c == '\t'))) {
                return false;
            }
        }
        return true;
    }
}

package com.relaycrm.fieldservice.domain;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads dates day-first against a fixed whitelist of shapes: ISO ({@code 2021-06-30}, {@code 2021-06-30T10:00:00},
 * {@code 2021-06-30 15:30}) and the legacy forms found in the real CSV ({@code 30/06/2021}, {@code 30/06/21},
 * {@code 30/06/2021 10:00[:00]}, {@code 30/062021 10:00}, {@code 30 /06 /2021 10:00:00}). Impossible calendar dates
 * ({@code 31/02/2021}) are rejected, never rolled over. Hand-written because it runs once or twice per CSV row.
 */
public final class DayFirstDates {

    public static final String ACCEPTED = "dd/MM/yyyy, dd/MM/yy, dd/MM/yyyy HH:mm[:ss], dd/MMyyyy HH:mm, "
            + "dd /MM /yyyy HH:mm[:ss], yyyy-MM-dd, yyyy-MM-dd[ |T]HH:mm[:ss]";

    public enum Problem {
        FORMAT,
        IMPOSSIBLE
    }

    /** A parsed value: {@code time} is null when the text had no time; {@code problem} is set on failure. */
    public record Parsed(
            @Nullable LocalDate date,
            @Nullable LocalTime time,
            @Nullable Problem problem) {

        public boolean ok() {
            return problem == null;
        }

        public LocalDateTime dateTime() {
            return Objects.requireNonNull(date, "only a parsed value has a date")
                    .atTime(time == null ? LocalTime.MIDNIGHT : time);
        }
    }

    private static final Parsed FORMAT = new Parsed(null, null, Problem.FORMAT);
    private static final Parsed IMPOSSIBLE = new Parsed(null, null, Problem.IMPOSSIBLE);
    private static final int MAX_GROUPS = 7;

    private DayFirstDates() {}

    public static Parsed parse(String raw) {
        String text = raw.strip();
        int length = text.length();
        if (length == 0 || length > 40) {
            return FORMAT;
        }
        // Splits the text into digit runs and the separators between them.
        int[] values = new int[MAX_GROUPS];
        StringBuilder shape = new StringBuilder(24);
        int groups = 0;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (groups == MAX_GROUPS) {
                    return FORMAT;
                }
                int start = i;
                long value = 0;
                while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    value = value * 10 + (text.charAt(i) - '0');
                    i++;
                }
                int width = i - start;
                if (width > 9) {
                    return FORMAT;
                }
                values[groups] = (int) value;
                groups++;
                shape.append((char) ('0' + width));
            } else {
                shape.append(c);
                i++;
            }
        }
        return switch (shape.toString()) {
            case "2/2/4", "2/2/4 2:2", "2/2/4 2:2:2", "2 /2 /4 2:2:2", "2 /2 /4 2:2" ->
                build(values[2], values[1], values[0], groups, values, 3);
            case "2/2/2" -> build(2000 + values[2], values[1], values[0], groups, values, 3);
            case "2/6 2:2" -> build(values[1] % 10000, values[1] / 10000, values[0], groups, values, 2);
            case "4-2-2", "4-2-2 2:2", "4-2-2 2:2:2", "4-2-2T2:2", "4-2-2T2:2:2" ->
                build(values[0], values[1], values[2], groups, values, 3);
            default -> FORMAT;
        };
    }

    private static Parsed build(int year, int month, int day, int groups, int[] values, int timeStart) {
        if (year < 1900
                || year > 2999
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return IMPOSSIBLE;
        }
        LocalDate date = LocalDate.of(year, month, day);
        if (groups == timeStart) {
            return new Parsed(date, null, null);
        }
        int hour = values[timeStart];
        int minute = values[timeStart + 1];
        int second = groups > timeStart + 2 ? values[timeStart + 2] : 0;
        if (hour > 23 || minute > 59 || second > 59) {
            return IMPOSSIBLE;
        }
        return new Parsed(date, LocalTime.of(hour, minute, second), null);
    }
}

package com.relaycrm.fieldservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.relaycrm.testsupport.FuzzBudget;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Coverage-guided fuzzing of the day-first date parser (docs/FUZZING.md). In {@code ./mvnw verify} it replays the
 * committed inputs under {@code DayFirstDatesFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 *
 * <p>Properties: {@link DayFirstDates#parse} never throws (a rejection is a {@link DayFirstDates.Problem}, never an
 * exception), answers within the per-input time limit, every accepted value is a real date in 1900..2999 whose
 * canonical renderings in every accepted shape parse back to the same value, and a rejected value carries no date.
 */
class DayFirstDatesFuzzTest {

    private static final List<DateTimeFormatter> DATE_SHAPES =
            List.of(DateTimeFormatter.ofPattern("dd/MM/uuuu"), DateTimeFormatter.ofPattern("uuuu-MM-dd"));
    private static final List<DateTimeFormatter> DATE_TIME_SHAPES = List.of(
            DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss"),
            DateTimeFormatter.ofPattern("dd /MM /uuuu HH:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
    private static final List<DateTimeFormatter> MINUTE_SHAPES = List.of(
            DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm"),
            DateTimeFormatter.ofPattern("dd/MMuuuu HH:mm"),
            DateTimeFormatter.ofPattern("dd /MM /uuuu HH:mm"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm"));

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] input) throws Throwable {
        FuzzBudget.within(() -> parseOnce(input));
    }

    private static void parseOnce(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        DayFirstDates.Parsed parsed = DayFirstDates.parse(text);

        assertThat(parsed).isNotNull();
        if (!parsed.ok()) {
            assertThat(parsed.date()).isNull();
            assertThat(parsed.time()).isNull();
            return;
        }
        LocalDate date = parsed.date();
        assertThat(date.getYear()).isBetween(1900, 2999);
        for (DateTimeFormatter shape : DATE_SHAPES) {
            assertThat(DayFirstDates.parse(shape.format(date)))
                    .as("date round trip of %s", text)
                    .isEqualTo(new DayFirstDates.Parsed(date, null, null));
        }
        if (date.getYear() >= 2000 && date.getYear() <= 2099) {
            String twoDigitYear = DateTimeFormatter.ofPattern("dd/MM/").format(date)
                    + (date.getYear() % 100 < 10 ? "0" : "")
                    + (date.getYear() % 100);
            assertThat(DayFirstDates.parse(twoDigitYear).date()).isEqualTo(date);
        }
        LocalTime time = parsed.time();
        if (time != null) {
            assertThat(time.getNano()).isZero();
            for (DateTimeFormatter shape : DATE_TIME_SHAPES) {
                String rendered = shape.format(date.atTime(time));
                assertThat(DayFirstDates.parse(rendered))
                        .as("date-time round trip of %s via %s", text, rendered)
                        .isEqualTo(new DayFirstDates.Parsed(date, time, null));
            }
            if (time.getSecond() == 0) {
                for (DateTimeFormatter shape : MINUTE_SHAPES) {
                    String rendered = shape.format(date.atTime(time));
                    assertThat(DayFirstDates.parse(rendered))
                            .as("minute round trip of %s via %s", text, rendered)
                            .isEqualTo(new DayFirstDates.Parsed(date, time, null));
                }
            }
            assertThat(parsed.dateTime()).isEqualTo(date.atTime(time));
        } else {
            assertThat(parsed.dateTime()).isEqualTo(date.atStartOfDay());
        }
        // Surrounding whitespace never changes the answer.
        assertThat(DayFirstDates.parse(" \t" + text + " ")).isEqualTo(parsed);
    }
}

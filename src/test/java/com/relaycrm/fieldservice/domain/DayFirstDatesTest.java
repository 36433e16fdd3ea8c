package com.relaycrm.fieldservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DayFirstDatesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "04/01/2022|2022-01-04T00:00",
                "31/12/21  |2021-12-31T00:00",
                "2021-06-29 09:07:23|2021-06-29T09:07:23",
                "2021-06-29T09:07:23|2021-06-29T09:07:23",
                "2021-06-30 15:30|2021-06-30T15:30",
                "2021-06-30|2021-06-30T00:00",
                "30/06/2021 23:59:59|2021-06-30T23:59:59",
                "30/06/2021 10:00|2021-06-30T10:00",
                "28/062021 11:55|2021-06-28T11:55",
                "30 /06 /2021 10:00:00|2021-06-30T10:00",
                "29/02/2024|2024-02-29T00:00"
            })
    void readsTheWhitelistDayFirst(String text, String expected) {
        DayFirstDates.Parsed parsed = DayFirstDates.parse(text);
        assertThat(parsed.ok()).as(text).isTrue();
        assertThat(parsed.dateTime()).isEqualTo(LocalDateTime.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "31/02/2021",
                "29/02/2021",
                "31/06/2021",
                "00/01/2021",
                "01/13/2021",
                "30/06/2021 24:00",
                "30/06/2021 10:60",
                "2021-02-30",
                "32/01/21"
            })
    void rejectsImpossibleDates(String text) {
        assertThat(DayFirstDates.parse(text).problem()).as(text).isEqualTo(DayFirstDates.Problem.IMPOSSIBLE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "1/6/2021",
                "2021/06/30",
                "30-06-2021",
                "30/06/2021 10",
                "06/30/2021x",
                "30/06/2021 10:00:00:00",
                "99999999999/06/2021",
                "30.06.2021"
            })
    void rejectsShapesOutsideTheWhitelist(String text) {
        assertThat(DayFirstDates.parse(text).problem()).as(text).isEqualTo(DayFirstDates.Problem.FORMAT);
    }

    @Test
    void namesAreTrimmedAndCollapsedAndUfComesFromThePolo() {
        assertThat(Names.normalize("  João \t  César ")).isEqualTo("João César");
        assertThat(Names.ufOf("rj - VOLTA REDONDA")).isEqualTo("RJ");
        assertThat(Names.ufOf("BUNKER")).isNull();
        assertThat(Names.ufOf("RJX - A")).isNull();
    }
}

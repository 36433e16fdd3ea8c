package com.relaycrm.platform;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an {@link OffsetDateTime} exactly as Jackson's default does ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME})
 * but without the formatter for the UTC timestamps PostgreSQL returns: the formatter was a fifth of the JSON work of
 * a list of leads (JFR, docs/PERFORMANCE.md). Other offsets and years outside 0-9999 go through the formatter.
 */
final class UtcTimestampSerializer extends StdSerializer<OffsetDateTime> {

    UtcTimestampSerializer() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator generator, SerializationContext context) {
        LocalDateTime local = value.toLocalDateTime();
        int year = local.getYear();
        if (!value.getOffset().equals(ZoneOffset.UTC) || year < 0 || year > 9999) {
            generator.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
            return;
        }
        char[] text = new char[30];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, local.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, local.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, local.getHour(), 2);
        text[13] = ':';
        digits(text, 14, local.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, local.getSecond(), 2);
        int length = 19;
        int nano = local.getNano();
        if (nano != 0) {
            // as the formatter does: only the digits needed, trailing zeros dropped
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            text[length++] = '.';
            digits(text, length, nano, width);
            length += width;
        }
        text[length++] = 'Z';
        generator.writeString(text, 0, length);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}

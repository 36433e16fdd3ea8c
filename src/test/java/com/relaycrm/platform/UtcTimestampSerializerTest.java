package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

class UtcTimestampSerializerTest {

    private static final JsonMapper JACKSON = JsonMapper.builder().build();
    private static final JsonMapper RELAY = JsonMapper.builder()
            .addModule(new SimpleModule().addSerializer(OffsetDateTime.class, new UtcTimestampSerializer()))
            .build();

    @Test
    void writesWhatJacksonsFormatterWrites() {
        List<OffsetDateTime> values = new ArrayList<>(List.of(
                OffsetDateTime.parse("2026-12-03T18:08:00Z"),
                OffsetDateTime.parse("2026-12-03T18:08:00.5Z"),
                OffsetDateTime.parse("2026-12-03T18:08:00.000001Z"),
                OffsetDateTime.parse("2026-12-03T18:08:00.100000Z"),
                OffsetDateTime.parse("2026-12-03T18:08:00.123456789Z"),
                OffsetDateTime.parse("0000-01-01T00:00:00Z"),
                OffsetDateTime.parse("9999-12-31T23:59:59.999999999Z"),
                OffsetDateTime.parse("+10000-01-01T00:00:00Z"),
                OffsetDateTime.parse("-0001-12-31T23:59:59Z"),
                OffsetDateTime.parse("2026-12-03T18:08:00.25+05:30"),
                OffsetDateTime.parse("2026-12-03T18:08:00-03:00")));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            ZoneOffset offset = random.nextInt(5) == 0
                    ? ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1))
                    : ZoneOffset.UTC;
            values.add(Instant.ofEpochSecond(second, nano).atOffset(offset));
        }
        for (OffsetDateTime value : values) {
            assertThat(RELAY.writeValueAsString(value)).as("%s", value).isEqualTo(JACKSON.writeValueAsString(value));
        }
    }
}

package com.relaycrm.fieldservice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntMapTest {

    @Test
    void keepsTheFirstValueOfEveryKeyThroughGrowth() {
        LongIntMap map = new LongIntMap(4);
        Map<Long, Integer> expected = new HashMap<>();
        Random random = new Random(7);
        for (int line = 2; line < 200_000; line++) {
            long key = 1 + random.nextLong(50_000) * (random.nextBoolean() ? 1 : 1_000_003L);
            Integer first = expected.putIfAbsent(key, line);
            assertThat(map.putIfAbsent(key, line)).isEqualTo(first == null ? -1 : first);
        }
        assertThat(map.putIfAbsent(Long.MAX_VALUE, 9)).isEqualTo(-1);
        assertThat(map.putIfAbsent(Long.MAX_VALUE, 10)).isEqualTo(9);
    }

    @Test
    void refusesKeysThatAreNotVisitIds() {
        LongIntMap map = new LongIntMap(4);
        assertThatThrownBy(() -> map.putIfAbsent(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.putIfAbsent(-5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

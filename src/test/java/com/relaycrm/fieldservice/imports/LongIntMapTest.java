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
    void tenMillionIdsFitInAThirdOfA512MbHeap() {
        LongIntMap map = new LongIntMap(10_485_750);
        // a power-of-two array of key/value pairs took 537 MB for this size, more than the import's whole heap
        assertThat(map.bytes()).isLessThan(180L * 1024 * 1024);
        int clashes = 0;
        for (int line = 1; line <= 10_485_750; line++) {
            clashes += map.putIfAbsent(line * 7_919L, line) == -1 ? 0 : 1;
        }
        assertThat(clashes).isZero();
        assertThat(map.putIfAbsent(7_919L * 5_000_000, 1)).isEqualTo(5_000_000);
        // full, and still without a segment that had to grow
        assertThat(map.bytes()).isLessThan(180L * 1024 * 1024);
    }

    @Test
    void refusesKeysThatAreNotVisitIds() {
        LongIntMap map = new LongIntMap(4);
        assertThatThrownBy(() -> map.putIfAbsent(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.putIfAbsent(-5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

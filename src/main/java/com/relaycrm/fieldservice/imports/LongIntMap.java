package com.relaycrm.fieldservice.imports;

/**
 * Open-addressing map from external visit id (always positive) to the line that first carried it, in 64 segments of
 * a key array and a value array each: ~12-16 bytes per id, so ten million ids fit in ~170 MB of a 512 MB heap (one
 * array of slot pairs with a power-of-two capacity needed 537 MB there). Segments keep every array far below G1's
 * humongous-region sizes and let one segment grow without rehashing the others. 0 marks a free slot.
 */
final class LongIntMap {

    private static final int SEGMENTS = 64;
    private static final double MAX_LOAD = 0.75;

    private final long[][] keys = new long[SEGMENTS][];
    private final int[][] values = new int[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];

    LongIntMap(int expected) {
        // 5 % over the even share (and a few standard deviations of a random split) before any segment must grow
        int capacity = capacityFor(Math.max(16, (int) (expected / (double) SEGMENTS * 1.05) + 64));
        for (int s = 0; s < SEGMENTS; s++) {
            keys[s] = new long[capacity];
            values[s] = new int[capacity];
        }
    }

    /** Stores {@code value} unless the key is present; returns the existing value or -1. */
    int putIfAbsent(long key, int value) {
        if (key <= 0) {
            throw new IllegalArgumentException("visit ids are positive");
        }
        long h = key * 0x9E3779B97F4A7C15L;
        int segment = (int) (h >>> 58); // the top 6 bits pick one of 64 segments
        if (sizes[segment] >= keys[segment].length * MAX_LOAD) {
            grow(segment);
        }
        return put(segment, h, key, value);
    }

    private int put(int segment, long h, long key, int value) {
        long[] segmentKeys = keys[segment];
        int capacity = segmentKeys.length;
        // Lemire's multiply-shift maps the low 32 bits onto any capacity, so segments need not be powers of two
        int slot = (int) (((h & 0xFFFFFFFFL) * capacity) >>> 32);
        while (segmentKeys[slot] != 0) {
            if (segmentKeys[slot] == key) {
                return values[segment][slot];
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
        segmentKeys[slot] = key;
        values[segment][slot] = value;
        sizes[segment]++;
        return -1;
    }

    private void grow(int segment) {
        long[] oldKeys = keys[segment];
        int[] oldValues = values[segment];
        keys[segment] = new long[capacityFor(oldKeys.length + oldKeys.length / 2)];
        values[segment] = new int[keys[segment].length];
        sizes[segment] = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(segment, oldKeys[i] * 0x9E3779B97F4A7C15L, oldKeys[i], oldValues[i]);
            }
        }
    }

    /** The arrays' size in bytes (headers aside). */
    long bytes() {
        long bytes = 0;
        for (int s = 0; s < SEGMENTS; s++) {
            bytes += keys[s].length * 8L + values[s].length * 4L;
        }
        return bytes;
    }

    /** Slots for {@code entries} at most 3/4 full. */
    private static int capacityFor(int entries) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(entries / MAX_LOAD) + 1);
    }
}

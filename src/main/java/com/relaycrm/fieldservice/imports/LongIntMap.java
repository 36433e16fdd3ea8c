package com.relaycrm.fieldservice.imports;

/**
 * Open-addressing map from external visit id (always positive) to the line that first carried it: ~16 bytes per id,
 * so a million-row file costs ~32 MB instead of the ~100 MB of a boxed HashMap. Key and value share one array slot
 * pair, and 0 marks a free slot, so a probe of a random id touches one cache line, not three.
 */
final class LongIntMap {

    private long[] slots; // key at 2i, value at 2i+1
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        slots = new long[capacity * 2];
    }

    /** Stores {@code value} unless the key is present; returns the existing value or -1. */
    int putIfAbsent(long key, int value) {
        if (key <= 0) {
            throw new IllegalArgumentException("visit ids are positive");
        }
        if (size * 4 >= slots.length) {
            grow();
        }
        int mask = (slots.length >> 1) - 1;
        int slot = hash(key) & mask;
        while (slots[slot * 2] != 0) {
            if (slots[slot * 2] == key) {
                return (int) slots[slot * 2 + 1];
            }
            slot = (slot + 1) & mask;
        }
        slots[slot * 2] = key;
        slots[slot * 2 + 1] = value;
        size++;
        return -1;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                putIfAbsent(old[i], (int) old[i + 1]);
            }
        }
    }
}

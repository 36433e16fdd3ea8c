package com.relaycrm.fieldservice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowsByIdTest {

    @Test
    void ordersShuffledRowsWithSmallAndHugeIdsByTheirId() {
        Random random = new Random(42);
        List<RowValidation.Row> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long id = i % 100 == 0 ? Long.MAX_VALUE - i : 1 + i * 7L;
            rows.add(new RowValidation.Row(i + 2, id, 1, "angel", "polo", LocalDate.of(2021, 6, 30), null));
        }
        Collections.shuffle(rows, random);
        List<RowValidation.Row> sorted = ImportProcessor.byId(rows);
        assertThat(sorted).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(sorted).isSortedAccordingTo(Comparator.comparingLong(RowValidation.Row::idAtendimento));
    }

    @Test
    void repeatedIdsStillComeOutOrderedAndWhole() {
        List<RowValidation.Row> rows = new ArrayList<>();
        for (long id : new long[] {5, 3, 5, 1, 3}) {
            rows.add(new RowValidation.Row(id, id, 1, "angel", "polo", LocalDate.of(2021, 6, 30), null));
        }
        List<RowValidation.Row> sorted = ImportProcessor.byId(rows);
        assertThat(sorted).extracting(RowValidation.Row::idAtendimento).containsExactly(1L, 3L, 3L, 5L, 5L);
        assertThat(ImportProcessor.byId(List.of())).isEmpty();
    }
}

package dev.switchboard.chat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Generation ids are version 7 UUIDs: unique, and as text in the order of the milliseconds they were made in. */
class GenerationIdTest {
    @Test
    void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsText() {
        List<String> made = new ArrayList<>();
        long[] times = {0L, 1L, 255L, 256L, 65_535L, 65_536L, 1_764_115_200_000L, 1_764_115_200_001L, (1L << 48) - 1};
        for (long t : times) {
            made.add(Generation.timeOrderedId(t));
            made.add(Generation.timeOrderedId(t));
        }
        for (int k = 1; k < times.length; k++) { // both ids of millisecond k after both of millisecond k - 1
            for (String later : made.subList(2 * k, 2 * k + 2)) {
                assertThat(later).isGreaterThan(made.get(2 * k - 2)).isGreaterThan(made.get(2 * k - 1));
            }
        }
        for (int i = 0; i < times.length; i++) {
            UUID id = UUID.fromString(made.get(2 * i));
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(times[i]);
        }
    }

    @Test
    void idsMadeInTheSameMillisecondDifferInTheirRandomBits() {
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) ids.add(Generation.timeOrderedId(1_764_115_200_000L));
        assertThat(ids).hasSize(10_000);
    }
}

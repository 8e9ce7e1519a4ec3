package dev.leakwatch.format.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotWindowTest {
    private static Snapshot numbered(long i) {
        return new Snapshot(
                i,
                1_795_600_000_000L + i * 1000,
                -1,
                1,
                "",
                0,
                ClassHistogram.of(HistogramKind.LIVE, List.of(new ClassCount("byte[]", i, i * 16))),
                Optional.empty());
    }

    @Test
    void keepsEverythingWhileThereIsRoom() {
        SnapshotWindow window = new SnapshotWindow(10);
        for (long i = 0; i < 9; i++) {
            window.add(numbered(i));
        }
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L),
                window.snapshots().stream().map(Snapshot::sequence).toList());
        assertEquals(9, window.offered());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 10, 64})
    void thinningKeepsItBoundedFromTheFirstToTheNewest(int maxPoints) {
        SnapshotWindow window = new SnapshotWindow(maxPoints);
        for (long i = 0; i < 3_000; i++) {
            Snapshot newest = numbered(i);
            window.add(newest);
            List<Snapshot> kept = window.snapshots();
            assertTrue(kept.size() <= maxPoints, kept.size() + " points after " + (i + 1));
            assertEquals(0, kept.get(0).sequence(), "the first point stays");
            assertSame(newest, kept.get(kept.size() - 1), "the newest is always the last point");
            Set<Long> gaps = new HashSet<>();
            for (int p = 1; p < kept.size() - 1; p++) {
                gaps.add(kept.get(p).sequence() - kept.get(p - 1).sequence());
            }
            assertTrue(
                    gaps.size() <= 1,
                    "uneven spacing " + kept.stream().map(Snapshot::sequence).toList());
        }
        assertEquals(3_000, window.offered());
        assertTrue(window.snapshots().size() >= maxPoints / 2, "thinned too far");
    }

    @Test
    void emptyWindowHasNoPointsAndTinyWindowsAreRefused() {
        assertEquals(List.of(), new SnapshotWindow(4).snapshots());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SnapshotWindow(3));
        assertTrue(e.getMessage().contains("at least 4"), e.getMessage());
    }
}

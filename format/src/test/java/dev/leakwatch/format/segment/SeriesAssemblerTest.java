package dev.leakwatch.format.segment;

import static dev.leakwatch.format.segment.Fixtures.MINUTE;
import static dev.leakwatch.format.segment.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SeriesAssembler}: records grouped into runs, losses counted, and the newest run's series. */
class SeriesAssemblerTest {
    private final SeriesAssembler series = new SeriesAssembler(SnapshotWindow.DEFAULT_MAX_POINTS);

    @Test
    void theSeriesIsTheNewestRunInTimeOrder() throws Exception {
        List<Snapshot> older = Fixtures.run(1, T0 - MINUTE, T0, 2);
        List<Snapshot> newer = Fixtures.run(2, T0 + 9 * MINUTE, T0 + 10 * MINUTE, 3);
        series.accept(newer.get(2));
        newer.subList(0, 2).forEach(series::accept);
        older.forEach(series::accept);

        SnapshotSeries read = series.finish("source");

        assertEquals(newer, read.snapshots());
        assertEquals(3, read.recordsRead());
        assertEquals(1, read.warnings().size());
        assertTrue(
                read.warnings()
                        .get(0)
                        .startsWith("the directory holds records of 2 JVM runs; analyzing the newest,"
                                + " pid 2 (3 snapshots, "),
                read.warnings().get(0));
    }

    @Test
    void ofRunsEndingAtTheSameTimeTheLastFoundIsAnalyzed() throws Exception {
        series.accept(Fixtures.snapshot(1, T0 - MINUTE, 0, T0));
        Snapshot second = Fixtures.snapshot(2, T0 - MINUTE, 0, T0);
        series.accept(second);

        assertEquals(List.of(second), series.finish("source").snapshots());
    }

    @Test
    void aDuplicateIsRefusedAndNotCounted() throws Exception {
        Snapshot snapshot = Fixtures.snapshot(1, T0 - MINUTE, 0, T0);
        assertTrue(series.accept(snapshot));
        assertFalse(series.accept(snapshot));
        assertEquals(1, series.finish("source").recordsRead());
    }

    @Test
    void lossesAreCountedAndEveryWarningNamesItsSegment() throws Exception {
        series.accept(Fixtures.snapshot(1, T0 - MINUTE, 0, T0));
        series.skip(3, "a: 3 damaged records skipped");
        series.warn("b: 1 stray byte between records skipped");

        SnapshotSeries read = series.finish("source");

        assertEquals(3, read.skippedRecords());
        assertEquals(
                List.of("segment a: 3 damaged records skipped", "segment b: 1 stray byte between records skipped"),
                read.warnings());
    }

    @Test
    void noSnapshotAfterLossesIsAnErrorNamingTheFirstProblem() {
        series.noteProblem("a record 1: bad CRC");
        series.skip(2, "a: 2 damaged records skipped");
        series.noteProblem("b record 4: bad header");

        InputException e = assertThrows(InputException.class, () -> series.finish("dir"));
        assertEquals("dir: no readable snapshot (2 records skipped: a record 1: bad CRC)", e.getMessage());
    }

    @Test
    void noSnapshotAndNoLossIsAnEmptySeriesWithAWarning() throws Exception {
        SnapshotSeries read = series.finish("dir");

        assertTrue(read.isEmpty());
        assertEquals(List.of("the segment files hold no snapshot yet"), read.warnings());
    }
}

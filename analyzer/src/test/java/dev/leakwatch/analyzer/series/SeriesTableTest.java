package dev.leakwatch.analyzer.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesTableTest {
    private static final long T0 = 1_795_600_000_000L;
    private static final long FLOOR = SeriesTable.TRACKING_FLOOR_BYTES;

    /** Snapshot number {@code i}, one a second, with one big class whose bytes encode {@code i}. */
    private static Snapshot numbered(long i) {
        return snapshot(i, Optional.empty(), row("com.acme.Big", i, FLOOR + i));
    }

    private static ClassCount row(String name, long instances, long bytes) {
        return new ClassCount(name, instances, bytes);
    }

    private static Snapshot snapshot(long i, Optional<JvmGauges> gauges, ClassCount... rows) {
        return new Snapshot(
                i,
                T0 + i * 1000,
                1000 + i * 1000,
                77,
                "17.0.15",
                i % 7,
                ClassHistogram.of(HistogramKind.LIVE, List.of(rows)),
                gauges);
    }

    private static List<Long> pointNumbers(SeriesTable table) {
        List<Long> numbers = new ArrayList<>();
        for (int point = 0; point < table.size(); point++) {
            long fromTime = (table.epochMillis(point) - T0) / 1000;
            // Every column must have moved with the time stamp when thinning compacted the table.
            assertEquals(FLOOR + fromTime, table.classBytes("com.acme.Big", point), "bytes at point " + point);
            assertEquals(fromTime, table.classInstances("com.acme.Big", point), "instances at point " + point);
            assertEquals(fromTime % 7, table.durationMillis(point), "duration at point " + point);
            numbers.add(fromTime);
        }
        return numbers;
    }

    /**
     * The table lives in the host's heap when the agent keeps it: its columns for allocation paths must not grow one
     * path at a time, or the agent's own memory reads as a steady growth of long[] in the host's histograms.
     */
    @Test
    void pathColumnsAreAllocatedInBatches() {
        SeriesTable table = new SeriesTable(64);
        int batch = SeriesTable.PATHS_PER_BATCH * 3;
        for (int i = 0; i < SeriesTable.PATHS_PER_BATCH + 1; i++) {
            SiteRetention path = new SiteRetention(
                    "byte[]", List.of("com.acme.Cache.put(Cache.java:" + i + ")"), 0, 0, 1, 100, 1_000, 1, T0);
            table.add(numbered(i).withAllocations(new AllocationStats(1, 1, 100, 0, List.of(path))));
            int expected = i < SeriesTable.PATHS_PER_BATCH ? batch : 2 * batch;
            assertEquals(expected, table.allocatedPathColumns(), "after " + (i + 1) + " paths");
            assertEquals(1_000, table.pathBytes(path.pathKey(), table.size() - 1), "the new path's column is written");
        }
    }

    @Test
    void theAgentsOwnObjectsAreTakenOutOfTheRowsTheyWereCountedIn() {
        SeriesTable table = new SeriesTable(16);
        table.add(snapshot(
                        0,
                        Optional.empty(),
                        row("long[]", 100, 50 * 1024),
                        row("byte[]", 20, 6 * 1024),
                        row("com.acme.Cache", 10, 8 * 1024))
                .withAgentOwned(List.of(
                        row("long[]", 40, 20 * 1024), row("byte[]", 5, 3 * 1024), row("java.lang.String", 9, 999))));
        assertEquals(30 * 1024, table.classBytes("long[]", 0));
        assertEquals(60, table.classInstances("long[]", 0));
        // Below the tracking floor once the agent's part is out.
        assertEquals(SeriesTable.UNKNOWN, table.classBytes("byte[]", 0));
        assertEquals(
                (50 + 6 + 8 - 20 - 3) * 1024, table.histogramTotalBytes(0), "a row the histogram lacks is no debt");
        // More than the row holds (the agent's sizes are estimates) leaves zero, never a negative count.
        table.add(snapshot(1, Optional.empty(), row("long[]", 100, 50 * 1024), row("com.acme.Cache", 10, 8 * 1024))
                .withAgentOwned(List.of(row("long[]", 120, 60 * 1024))));
        assertEquals(0, table.classBytes("long[]", 1));
        assertEquals(0, table.classInstances("long[]", 1));
        assertEquals(8 * 1024, table.histogramTotalBytes(1));
    }

    @Test
    void itsFootprintCountsTheColumnsAndNamesItHolds() {
        SeriesTable table = new SeriesTable(64);
        long column = 16 + 8 * 64;
        int fixedColumns = 4 + SeriesTable.Gauge.values().length;
        assertEquals(
                List.of(
                        row("long[]", fixedColumns, fixedColumns * column),
                        row("java.lang.String", 0, 0),
                        row("byte[]", 0, 0)),
                table.ownFootprint());

        SiteRetention path =
                new SiteRetention("byte[]", List.of("com.acme.Cache.put(Cache.java:7)"), 0, 0, 1, 100, 1_000, 1, T0);
        table.add(snapshot(0, Optional.empty(), row("com.acme.Big", 1, FLOOR), row("com.acme.Small", 1, 100))
                .withAllocations(new AllocationStats(1, 1, 100, 0, List.of(path))));
        long arrays = fixedColumns + 2 + SeriesTable.PATHS_PER_BATCH * 3L;
        // Names: "com.acme.Big" (12 Latin-1 characters: 16 + 12 = 28, aligned to 32) and the path's key.
        long keyLength = path.pathKey().length();
        assertEquals(
                List.of(
                        row("long[]", arrays, arrays * column),
                        row("java.lang.String", 2, 48),
                        row("byte[]", 2, 32 + ((16 + keyLength + 7) / 8) * 8)),
                table.ownFootprint());

        // A name with a character beyond Latin-1 takes two bytes a character.
        table.add(
                snapshot(1, Optional.empty(), row("com.acme.Big", 1, FLOOR), row("com.acme.Ünïcødé\u4e2d", 1, FLOOR)));
        assertEquals(
                32 + ((16 + keyLength + 7) / 8) * 8 + (16 + 2 * 17 + 7) / 8 * 8,
                table.ownFootprint().get(2).bytes());
    }

    @Test
    void keepsEveryPointWhileThereIsRoom() {
        SeriesTable table = new SeriesTable(16);
        for (long i = 0; i < 10; i++) {
            table.add(numbered(i));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), pointNumbers(table));
        assertEquals(10, table.offered());
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 256})
    void thinningKeepsCapacityBoundedTheFirstPointAndTheNewestAsLast(int capacity) {
        SeriesTable table = new SeriesTable(capacity);
        for (long i = 0; i < 5_000; i++) {
            table.add(numbered(i));
            assertTrue(table.size() <= capacity, "size " + table.size() + " after " + (i + 1) + " points");
            List<Long> points = pointNumbers(table);
            assertEquals(0L, points.get(0), "the first point stays");
            assertEquals(i, points.get(points.size() - 1), "the newest snapshot is the last point");
            // Apart from the newest, the kept points are evenly spaced: the window spans the run evenly.
            Set<Long> gaps = new HashSet<>();
            for (int p = 1; p < points.size() - 1; p++) {
                gaps.add(points.get(p) - points.get(p - 1));
            }
            assertTrue(gaps.size() <= 1, "uneven spacing " + points);
        }
        assertEquals(5_000, table.offered());
        assertTrue(table.size() >= capacity / 2 - 1, "thinning kept only " + table.size() + " points");
    }

    @Test
    void classesBelowTheFloorAreUntrackedUntilTheyReachIt() {
        SeriesTable table = new SeriesTable(16);
        table.add(snapshot(0, Optional.empty(), row("com.acme.Grows", 10, 1_000), row("com.acme.Tiny", 1, 100)));
        table.add(snapshot(1, Optional.empty(), row("com.acme.Grows", 100, FLOOR - 1), row("com.acme.Tiny", 1, 100)));
        table.add(snapshot(2, Optional.empty(), row("com.acme.Grows", 200, FLOOR), row("com.acme.Tiny", 1, 100)));
        table.add(snapshot(3, Optional.empty(), row("com.acme.Grows", 5, 512), row("com.acme.Tiny", 1, 100)));
        table.add(snapshot(4, Optional.empty(), row("com.acme.Tiny", 1, 100)));

        assertEquals(SeriesTable.UNKNOWN, table.classBytes("com.acme.Grows", 0));
        assertEquals(SeriesTable.UNKNOWN, table.classBytes("com.acme.Grows", 1));
        assertEquals(SeriesTable.UNKNOWN, table.classInstances("com.acme.Grows", 1));
        assertEquals(FLOOR, table.classBytes("com.acme.Grows", 2));
        assertEquals(200, table.classInstances("com.acme.Grows", 2));
        // Once tracked, a class stays tracked with its true size, and absence from a histogram means none are live.
        assertEquals(512, table.classBytes("com.acme.Grows", 3));
        assertEquals(0, table.classBytes("com.acme.Grows", 4));
        assertEquals(0, table.classInstances("com.acme.Grows", 4));

        for (int point = 0; point < table.size(); point++) {
            assertEquals(SeriesTable.UNKNOWN, table.classBytes("com.acme.Tiny", point));
        }
        Set<String> names = new HashSet<>();
        table.classNames().forEach(names::add);
        assertEquals(Set.of("com.acme.Grows"), names);
        assertEquals(1, table.classCount());
        // The histogram total counts every class, tracked or not: it is the live set of a live histogram.
        assertEquals(1_000 + 100, table.histogramTotalBytes(0));
    }

    @Test
    void aClassListedOncePerClassLoaderIsSummed() {
        SeriesTable table = new SeriesTable(16);
        table.add(snapshot(
                0,
                Optional.empty(),
                row("com.acme.Plugin", 300, 30 * 1024),
                row("byte[]", 10, 20 * 1024),
                row("com.acme.Plugin", 200, 20 * 1024)));
        assertEquals(50 * 1024, table.classBytes("com.acme.Plugin", 0));
        assertEquals(500, table.classInstances("com.acme.Plugin", 0));
        assertEquals(70 * 1024, table.histogramTotalBytes(0));
    }

    @Test
    void gaugesAreUnknownWithoutGauges() {
        SeriesTable table = new SeriesTable(8);
        table.add(snapshot(0, Optional.empty(), row("byte[]", 1, FLOOR)));
        for (SeriesTable.Gauge gauge : SeriesTable.Gauge.values()) {
            assertEquals(SeriesTable.UNKNOWN, table.gauge(gauge, 0), gauge.name());
        }
    }

    @Test
    void gaugesAreTakenFromTheSnapshot() {
        JvmGauges gauges = new JvmGauges(
                90_000_000,
                128_000_000,
                512_000_000,
                40_000_000,
                4_321,
                5_000,
                12,
                33,
                List.of(
                        new MemoryPoolGauge("G1 Eden Space", true, 20_000_000, 0, 30_000_000, -1),
                        new MemoryPoolGauge("G1 Old Gen", true, 70_000_000, 60_000_000, 90_000_000, 512_000_000),
                        new MemoryPoolGauge("Metaspace", false, 25_000_000, -1, 26_000_000, -1)),
                List.of(new BufferPoolGauge("mapped", 1, 4096, 4096), new BufferPoolGauge("direct", 3, 65_536, 65_536)),
                List.of(new GcGauge("G1 Young Generation", 5, 50)));
        SeriesTable table = new SeriesTable(8);
        table.add(snapshot(0, Optional.of(gauges), row("byte[]", 1, FLOOR)));
        assertEquals(60_000_000, table.gauge(SeriesTable.Gauge.HEAP_LIVE_AFTER_GC, 0));
        assertEquals(512_000_000, table.gauge(SeriesTable.Gauge.HEAP_MAX, 0));
        assertEquals(4_321, table.gauge(SeriesTable.Gauge.LOADED_CLASSES, 0));
        assertEquals(12, table.gauge(SeriesTable.Gauge.UNLOADED_CLASSES, 0));
        assertEquals(33, table.gauge(SeriesTable.Gauge.LIVE_THREADS, 0));
        assertEquals(65_536, table.gauge(SeriesTable.Gauge.DIRECT_BUFFER_BYTES, 0));
        assertEquals(25_000_000, table.gauge(SeriesTable.Gauge.METASPACE_USED, 0));
        assertEquals(77, table.pid());
        assertEquals("17.0.15", table.jvmVersion());
    }

    @Test
    void countsHistogramKinds() {
        SeriesTable table = new SeriesTable(8);
        table.add(numbered(0));
        table.add(new Snapshot(
                1,
                T0 + 1000,
                -1,
                -1,
                "",
                0,
                ClassHistogram.of(HistogramKind.ALL, List.of(row("byte[]", 1, 1))),
                Optional.empty()));
        table.add(numbered(2));
        assertEquals(Map.of("live", 2, "all", 1), table.kindCounts());
        assertEquals(HistogramKind.ALL, table.kind(1));
    }

    @Test
    void refusesPointsOutsideTheTableAndTinyCapacities() {
        SeriesTable table = new SeriesTable(8);
        assertTrue(table.isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> table.epochMillis(0));
        table.add(numbered(0));
        assertFalse(table.isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> table.classBytes("com.acme.Big", 1));
        assertThrows(IndexOutOfBoundsException.class, () -> table.gauge(SeriesTable.Gauge.HEAP_MAX, -1));
        assertEquals(SeriesTable.UNKNOWN, table.classBytes("com.acme.NeverSeen", 0));
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> new SeriesTable(7));
        assertTrue(tooSmall.getMessage().contains("at least 8"), tooSmall.getMessage());
    }

    @Test
    void buildsFromASeries() {
        List<Snapshot> snapshots = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            snapshots.add(numbered(i));
        }
        SeriesTable table = SeriesTable.of(new SnapshotSeries("test", snapshots, 40, 0, List.of()), 16);
        List<Long> points = pointNumbers(table);
        assertEquals(0L, points.get(0));
        assertEquals(39L, points.get(points.size() - 1));
        assertEquals(40, table.offered());
    }
}

package dev.leakwatch.analyzer.series;

import static dev.leakwatch.analyzer.series.SeriesTable.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.leakwatch.format.model.SiteRetention;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PathColumnsTest {
    private static SiteRetention site(String frame, long samples, long bytes, int epochs) {
        return new SiteRetention("byte[]", List.of(frame), 0, 0, samples, samples * 10, bytes, epochs, 0);
    }

    @Test
    void aPathIsUnknownBeforeItWasSeenAndZeroWhenASnapshotDoesNotNameIt() {
        PathColumns columns = new PathColumns(8, 10, 1);
        columns.write(0, List.of());
        SiteRetention first = site("a.A.put(A.java:1)", 2, 64, 1);
        columns.write(1, List.of(first));
        SiteRetention newer = site("a.A.put(A.java:1)", 3, 96, 2);
        columns.write(2, List.of(newer));
        columns.write(3, List.of());

        String key = first.pathKey();
        assertEquals(Set.of(key), columns.keys());
        assertEquals(UNKNOWN, columns.bytes(key, 0));
        assertEquals(UNKNOWN, columns.samples(key, 0));
        assertEquals(UNKNOWN, columns.epochs(key, 0));
        assertEquals(64, columns.bytes(key, 1));
        assertEquals(3, columns.samples(key, 2));
        assertEquals(2, columns.epochs(key, 2));
        assertEquals(0, columns.bytes(key, 3));
        assertSame(newer, columns.latest(key), "the newest description, even from a point that was overwritten");
        assertNull(columns.latest("no such path"));
        assertEquals(UNKNOWN, columns.bytes("no such path", 1));
    }

    @Test
    void columnsComeInBatchesOfPaths() {
        PathColumns columns = new PathColumns(8, 10, 2);
        assertEquals(0, columns.columnCount());
        columns.write(0, List.of(site("a", 1, 1, 1)));
        assertEquals(2 * PathColumns.COLUMNS, columns.columnCount(), "one path takes a whole batch");
        columns.write(1, List.of(site("b", 1, 1, 1)));
        assertEquals(2 * PathColumns.COLUMNS, columns.columnCount());
        columns.write(2, List.of(site("c", 1, 1, 1)));
        assertEquals(4 * PathColumns.COLUMNS, columns.columnCount());
        assertEquals(3, columns.size());
    }

    @Test
    void pathsBeyondTheLimitAreDroppedAndCountedPerSnapshot() {
        PathColumns columns = new PathColumns(8, 2, 1);
        columns.write(0, List.of(site("a", 1, 1, 1), site("b", 1, 1, 1), site("c", 1, 1, 1)));
        columns.write(1, List.of(site("a", 1, 1, 1), site("c", 1, 1, 1), site("d", 1, 1, 1)));
        assertEquals(2, columns.size());
        assertEquals(3, columns.dropped());
        assertEquals(UNKNOWN, columns.bytes(site("c", 1, 1, 1).pathKey(), 1));
    }

    @Test
    void movesAllThreeColumnsOfEveryPath() {
        PathColumns columns = new PathColumns(8, 10, 1);
        columns.write(0, List.of(site("a", 1, 10, 1)));
        columns.write(1, List.of(site("a", 2, 20, 2)));
        columns.write(2, List.of(site("a", 3, 30, 3)));
        columns.move(2, 1);
        String key = site("a", 0, 0, 0).pathKey();
        assertEquals(30, columns.bytes(key, 1));
        assertEquals(3, columns.samples(key, 1));
        assertEquals(3, columns.epochs(key, 1));
    }

    @Test
    void countsTheBytesBehindItsKeys() {
        PathColumns columns = new PathColumns(8, 10, 1);
        SiteRetention site = site("com.acme.Cache.put(Cache.java:7)", 1, 1, 1);
        columns.write(0, List.of(site));
        columns.write(1, List.of(site));
        assertEquals(HeapSizes.stringArrayBytes(site.pathKey()), columns.nameBytes(), "once per path");
    }
}

package dev.leakwatch.analyzer.series;

import static dev.leakwatch.analyzer.series.SeriesTable.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassColumnsTest {
    private static final long FLOOR = 100;

    private static ClassHistogram histogram(ClassCount... rows) {
        return ClassHistogram.of(HistogramKind.LIVE, List.of(rows));
    }

    private static ClassCount row(String name, long instances, long bytes) {
        return new ClassCount(name, instances, bytes);
    }

    @Test
    void aClassGetsColumnsWhenItReachesTheFloorAndKeepsThem() {
        ClassColumns columns = new ClassColumns(8, FLOOR);
        assertEquals(50 + 7, columns.write(0, histogram(row("Grows", 5, 50), row("Tiny", 1, 7)), List.of()));
        assertEquals(Set.of(), columns.names());
        columns.write(1, histogram(row("Grows", 10, FLOOR), row("Tiny", 1, 7)), List.of());
        columns.write(2, histogram(row("Tiny", 1, 7)), List.of());

        assertEquals(Set.of("Grows"), columns.names());
        assertEquals(UNKNOWN, columns.bytes("Grows", 0), "before it was tracked");
        assertEquals(UNKNOWN, columns.instances("Grows", 0));
        assertEquals(FLOOR, columns.bytes("Grows", 1));
        assertEquals(10, columns.instances("Grows", 1));
        assertEquals(0, columns.bytes("Grows", 2), "tracked and absent: none live");
        assertEquals(UNKNOWN, columns.bytes("Never", 1));
    }

    @Test
    void theFloorAppliesToTheSumOfAClassesRowsOnePerLoader() {
        ClassColumns columns = new ClassColumns(8, FLOOR);
        columns.write(0, histogram(row("Plugin", 3, 60), row("Other", 1, 10), row("Plugin", 2, 40)), List.of());
        assertEquals(100, columns.bytes("Plugin", 0));
        assertEquals(5, columns.instances("Plugin", 0));
        columns.write(1, histogram(row("Plugin", 3, 60), row("Plugin", 2, 40)), List.of());
        assertEquals(100, columns.bytes("Plugin", 1), "tracked rows are summed too");
    }

    @Test
    void theAgentsOwnObjectsAreTakenOutBeforeTheFloorButNeverBelowZero() {
        ClassColumns columns = new ClassColumns(8, FLOOR);
        long total = columns.write(
                0,
                histogram(row("long[]", 10, 300), row("byte[]", 4, 150)),
                List.of(row("long[]", 4, 120), row("byte[]", 1, 60), row("String", 3, 72)));
        assertEquals(300 + 150 - 120 - 60, total, "a row the histogram lacks takes nothing out");
        assertEquals(180, columns.bytes("long[]", 0));
        assertEquals(6, columns.instances("long[]", 0));
        assertEquals(UNKNOWN, columns.bytes("byte[]", 0), "below the floor once the agent's part is out");

        total = columns.write(1, histogram(row("long[]", 10, 300)), List.of(row("long[]", 20, 500)));
        assertEquals(0, total);
        assertEquals(0, columns.bytes("long[]", 1));
        assertEquals(0, columns.instances("long[]", 1));
    }

    @Test
    void movesBothColumnsOfEveryClass() {
        ClassColumns columns = new ClassColumns(8, FLOOR);
        columns.write(0, histogram(row("A", 1, 100), row("B", 2, 200)), List.of());
        columns.write(1, histogram(row("A", 3, 300), row("B", 4, 400)), List.of());
        columns.write(2, histogram(row("A", 5, 500), row("B", 6, 600)), List.of());
        columns.move(2, 1);
        assertEquals(500, columns.bytes("A", 1));
        assertEquals(5, columns.instances("A", 1));
        assertEquals(600, columns.bytes("B", 1));
        assertEquals(6, columns.instances("B", 1));
    }

    @Test
    void countsItsColumnsAndTheBytesBehindItsNames() {
        ClassColumns columns = new ClassColumns(8, FLOOR);
        columns.write(
                0, histogram(row("com.acme.Big", 1, FLOOR), row("\u4e2d", 1, FLOOR), row("Small", 1, 1)), List.of());
        assertEquals(2, columns.size());
        assertEquals(4, columns.columnCount());
        assertEquals(32 + 24, columns.nameBytes());
    }
}

package dev.leakwatch.analyzer.series;

import static dev.leakwatch.analyzer.series.SeriesTable.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.format.model.LoaderStats;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoaderColumnsTest {
    @Test
    void aTypeIsUnknownBeforeItWasSeenAndZeroWhenASnapshotDoesNotNameIt() {
        LoaderColumns columns = new LoaderColumns(8, 4);
        columns.write(0, List.of());
        columns.write(1, List.of(new LoaderStats("Plugin", 2, 40)));
        columns.write(2, List.of());

        assertEquals(Set.of("Plugin"), columns.types());
        assertEquals(UNKNOWN, columns.liveLoaders("Plugin", 0));
        assertEquals(UNKNOWN, columns.classesDefined("Plugin", 0));
        assertEquals(2, columns.liveLoaders("Plugin", 1));
        assertEquals(40, columns.classesDefined("Plugin", 1));
        assertEquals(0, columns.liveLoaders("Plugin", 2));
        assertEquals(UNKNOWN, columns.liveLoaders("Other", 1));
    }

    @Test
    void typesBeyondTheLimitGetNoColumns() {
        LoaderColumns columns = new LoaderColumns(8, 2);
        columns.write(0, List.of(new LoaderStats("A", 1, 1), new LoaderStats("B", 1, 1), new LoaderStats("C", 1, 1)));
        assertEquals(Set.of("A", "B"), columns.types());
        assertEquals(4, columns.columnCount());
    }

    @Test
    void movesBothColumnsOfEveryType() {
        LoaderColumns columns = new LoaderColumns(8, 4);
        columns.write(0, List.of(new LoaderStats("A", 1, 10)));
        columns.write(1, List.of(new LoaderStats("A", 2, 20)));
        columns.write(2, List.of(new LoaderStats("A", 3, 30)));
        columns.move(2, 1);
        assertEquals(3, columns.liveLoaders("A", 1));
        assertEquals(30, columns.classesDefined("A", 1));
    }
}

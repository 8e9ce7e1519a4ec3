package dev.leakwatch.analyzer.series;

import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bytes and instances per class, one slot per point of a {@link SeriesTable}, for the classes that have reached the
 * tracking floor in some snapshot. Before a class reached it, its slots are {@link SeriesTable#UNKNOWN}; once tracked,
 * a class absent from a histogram has none live (0).
 *
 * <p>A histogram lists a class once per defining loader, so one name can fill several rows: the floor applies to their
 * sum, after the agent's own objects are taken out (SeriesTableTest#aClassListedOncePerClassLoaderIsSummed).
 */
final class ClassColumns {
    private final int length;
    private final long floorBytes;
    private final Map<String, Tracked> tracked = new HashMap<>();
    /** Bytes of the byte arrays behind the names of the tracked classes. */
    private long nameBytes;

    /** Columns of {@code length} slots, for the classes that reach {@code floorBytes} in one snapshot. */
    ClassColumns(int length, long floorBytes) {
        this.length = length;
        this.floorBytes = floorBytes;
    }

    /**
     * Writes a histogram to a slot, less the agent's own objects, and starts columns for the classes that reach the
     * floor with it. Returns the histogram's total bytes less the agent's objects taken out.
     */
    long write(int slot, ClassHistogram histogram, List<ClassCount> agentOwned) {
        for (Tracked columns : tracked.values()) {
            columns.bytes[slot] = 0;
            columns.instances[slot] = 0;
        }
        long total = 0;
        // Untracked rows are summed first; only their names cost memory here.
        Map<String, long[]> untracked = new HashMap<>();
        for (int row = 0; row < histogram.size(); row++) {
            long bytes = histogram.bytes(row);
            total += bytes;
            Tracked columns = tracked.get(histogram.className(row));
            if (columns == null) {
                long[] sum = untracked.computeIfAbsent(histogram.className(row), name -> new long[2]);
                sum[0] += bytes;
                sum[1] += histogram.instances(row);
                continue;
            }
            columns.bytes[slot] += bytes;
            columns.instances[slot] += histogram.instances(row);
        }
        total -= subtractAgentOwned(slot, agentOwned, untracked);
        for (Map.Entry<String, long[]> entry : untracked.entrySet()) {
            if (entry.getValue()[0] >= floorBytes) {
                Tracked columns = new Tracked(length, slot);
                columns.bytes[slot] = entry.getValue()[0];
                columns.instances[slot] = entry.getValue()[1];
                tracked.put(entry.getKey(), columns);
                nameBytes += HeapSizes.stringArrayBytes(entry.getKey());
            }
        }
        return total;
    }

    /**
     * Takes the agent's own objects out of the class rows they were counted in, before the floor applies: otherwise
     * the columns the agent adds as it learns new classes and paths read as a slow leak of {@code long[]}
     * (AgentOwnedObjectsTest). Never below zero, since the agent's sizes are estimates. Returns the bytes taken out.
     */
    private long subtractAgentOwned(int slot, List<ClassCount> owned, Map<String, long[]> untracked) {
        long subtracted = 0;
        for (ClassCount row : owned) {
            Tracked columns = tracked.get(row.className());
            long[] sum = untracked.get(row.className());
            if (columns != null) {
                long bytes = Math.min(row.bytes(), columns.bytes[slot]);
                columns.bytes[slot] -= bytes;
                columns.instances[slot] -= Math.min(row.instances(), columns.instances[slot]);
                subtracted += bytes;
            } else if (sum != null) {
                long bytes = Math.min(row.bytes(), sum[0]);
                sum[0] -= bytes;
                sum[1] -= Math.min(row.instances(), sum[1]);
                subtracted += bytes;
            }
        }
        return subtracted;
    }

    void move(int from, int to) {
        for (Tracked columns : tracked.values()) {
            columns.bytes[to] = columns.bytes[from];
            columns.instances[to] = columns.instances[from];
        }
    }

    /** Bytes of the class in a slot, {@link SeriesTable#UNKNOWN} if it was not tracked then (or never). */
    long bytes(String className, int slot) {
        Tracked columns = tracked.get(className);
        return columns == null ? SeriesTable.UNKNOWN : columns.bytes[slot];
    }

    long instances(String className, int slot) {
        Tracked columns = tracked.get(className);
        return columns == null ? SeriesTable.UNKNOWN : columns.instances[slot];
    }

    /** Names of the tracked classes, in no particular order. */
    Set<String> names() {
        return Collections.unmodifiableSet(tracked.keySet());
    }

    int size() {
        return tracked.size();
    }

    /** The {@code long[]} columns held: two per class. */
    long columnCount() {
        return 2L * tracked.size();
    }

    /** Bytes of the byte arrays behind the tracked classes' names. */
    long nameBytes() {
        return nameBytes;
    }

    private static final class Tracked {
        final long[] bytes;
        final long[] instances;

        Tracked(int length, int firstSlot) {
            bytes = new long[length];
            instances = new long[length];
            Arrays.fill(bytes, 0, firstSlot, SeriesTable.UNKNOWN);
            Arrays.fill(instances, 0, firstSlot, SeriesTable.UNKNOWN);
        }
    }
}

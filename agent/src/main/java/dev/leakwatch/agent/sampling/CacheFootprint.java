package dev.leakwatch.agent.sampling;

import dev.leakwatch.analyzer.series.HeapSizes;
import dev.leakwatch.format.model.ClassCount;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cache of resolved methods holds in the host's heap, counted as entries go in, as histogram rows. The agent
 * names these rows in each snapshot's {@code agentOwned}, and the analysis takes them out of the host's classes: a
 * 60-minute soak that loaded plugin classes 100 times a second grew the method cache from 332 to 20,118 entries in
 * 8.5 minutes, and that read as a leak of {@code String}, {@code byte[]}, {@code Long} and {@code int[]}
 * (bench/soak-results.md).
 *
 * <p>Sizes as in a 64-bit HotSpot heap with compressed pointers and compact strings (the defaults); other layouts are
 * off by a few bytes per object, which matters little next to a growth the analysis would call a leak.
 */
final class CacheFootprint {
    private static final long BOX_BYTES = 16;
    private static final long MAP_NODE_BYTES = 32;
    private static final long METHOD_BYTES = 32;

    private long entries;
    private long methods;
    private long strings;
    private long stringArrayBytes;
    private long lineTables;
    private long lineTableBytes;

    CacheFootprint() {}

    private CacheFootprint(CacheFootprint copied) {
        entries = copied.entries;
        methods = copied.methods;
        strings = copied.strings;
        stringArrayBytes = copied.stringArrayBytes;
        lineTables = copied.lineTables;
        lineTableBytes = copied.lineTableBytes;
    }

    /** This footprint as it stands now, unchanged by later {@link #add}s. */
    CacheFootprint copy() {
        return new CacheFootprint(this);
    }

    /** Counts one entry: its key, its map node, the method and what it holds. */
    void add(JvmMethod method) {
        entries++;
        objects(method, 1);
    }

    /**
     * Stops counting the method's own objects (not its entry): it moved to the next generation, which counts them
     * now, while this generation's map still holds its key and node.
     */
    void handOver(JvmMethod method) {
        objects(method, -1);
    }

    private void objects(JvmMethod method, int sign) {
        if (method == JvmMethod.UNRESOLVED) {
            return; // one shared instance, whatever the number of keys that map to it
        }
        methods += sign;
        string(method.className(), sign);
        string(method.methodName(), sign);
        if (method.sourceFile() != null) {
            string(method.sourceFile(), sign);
        }
        if (method.lineTable() != null) {
            lineTables += sign;
            lineTableBytes += sign * HeapSizes.arrayBytes(4L * method.lineTable().length);
        }
    }

    /** The sum of this and {@code other}, as histogram rows; empty when both are empty. */
    List<ClassCount> rowsWith(CacheFootprint other) {
        long allEntries = entries + other.entries;
        if (allEntries == 0) {
            return List.of();
        }
        List<ClassCount> rows = new ArrayList<>(6);
        rows.add(new ClassCount("java.util.HashMap$Node", allEntries, allEntries * MAP_NODE_BYTES));
        rows.add(new ClassCount("java.lang.Long", allEntries, allEntries * BOX_BYTES));
        long allMethods = methods + other.methods;
        if (allMethods > 0) {
            rows.add(new ClassCount(JvmMethod.class.getName(), allMethods, allMethods * METHOD_BYTES));
        }
        long allStrings = strings + other.strings;
        if (allStrings == 0) {
            return List.copyOf(rows);
        }
        rows.add(new ClassCount("java.lang.String", allStrings, allStrings * HeapSizes.STRING_BYTES));
        rows.add(new ClassCount("byte[]", allStrings, stringArrayBytes + other.stringArrayBytes));
        long allTables = lineTables + other.lineTables;
        if (allTables > 0) {
            rows.add(new ClassCount("int[]", allTables, lineTableBytes + other.lineTableBytes));
        }
        return List.copyOf(rows);
    }

    private void string(String text, int sign) {
        strings += sign;
        stringArrayBytes += sign * HeapSizes.stringArrayBytes(text);
    }
}

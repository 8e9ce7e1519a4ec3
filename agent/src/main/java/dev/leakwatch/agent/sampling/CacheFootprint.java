package dev.leakwatch.agent.sampling;

import dev.leakwatch.analyzer.model.ClassCount;
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
    private static final long STRING_BYTES = 24;
    private static final long BOX_BYTES = 16;
    private static final long MAP_NODE_BYTES = 32;
    private static final long METHOD_BYTES = 32;

    private long entries;
    private long strings;
    private long stringArrayBytes;
    private long lineTables;
    private long lineTableBytes;

    /** Counts one entry: its key, its map node, the method and what it holds. */
    void add(JvmMethod method) {
        entries++;
        addString(method.className());
        addString(method.methodName());
        if (method.sourceFile() != null) {
            addString(method.sourceFile());
        }
        if (method.lineTable() != null) {
            lineTables++;
            lineTableBytes += arrayBytes(4L * method.lineTable().length);
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
        rows.add(new ClassCount(JvmMethod.class.getName(), allEntries, allEntries * METHOD_BYTES));
        long allStrings = strings + other.strings;
        rows.add(new ClassCount("java.lang.String", allStrings, allStrings * STRING_BYTES));
        rows.add(new ClassCount("byte[]", allStrings, stringArrayBytes + other.stringArrayBytes));
        long allTables = lineTables + other.lineTables;
        if (allTables > 0) {
            rows.add(new ClassCount("int[]", allTables, lineTableBytes + other.lineTableBytes));
        }
        return List.copyOf(rows);
    }

    private void addString(String text) {
        strings++;
        stringArrayBytes += arrayBytes(isLatin1(text) ? text.length() : 2L * text.length());
    }

    private static boolean isLatin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static long arrayBytes(long elementBytes) {
        return (16 + elementBytes + 7) & ~7L;
    }
}

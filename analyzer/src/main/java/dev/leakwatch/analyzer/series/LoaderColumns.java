package dev.leakwatch.analyzer.series;

import dev.leakwatch.format.model.LoaderStats;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live loaders and classes defined per class-loader type, one slot per point of a {@link SeriesTable}, for at most
 * {@code maxTypes} types. Before a type was first seen its slots are {@link SeriesTable#UNKNOWN}; afterwards a snapshot
 * that does not name it counts 0.
 */
final class LoaderColumns {
    private final int length;
    private final int maxTypes;
    /** Per type: live loaders, then classes defined. */
    private final Map<String, long[][]> types = new HashMap<>();

    LoaderColumns(int length, int maxTypes) {
        this.length = length;
        this.maxTypes = maxTypes;
    }

    /** Writes a snapshot's loader types to a slot; a snapshot without allocation tracking writes none. */
    void write(int slot, List<LoaderStats> loaders) {
        for (long[][] columns : types.values()) {
            columns[0][slot] = 0;
            columns[1][slot] = 0;
        }
        for (LoaderStats loader : loaders) {
            long[][] columns = types.get(loader.loaderType());
            if (columns == null) {
                if (types.size() >= maxTypes) {
                    continue;
                }
                columns = new long[][] {new long[length], new long[length]};
                Arrays.fill(columns[0], 0, slot, SeriesTable.UNKNOWN);
                Arrays.fill(columns[1], 0, slot, SeriesTable.UNKNOWN);
                types.put(loader.loaderType(), columns);
            }
            columns[0][slot] = loader.liveLoaders();
            columns[1][slot] = loader.definedClasses();
        }
    }

    void move(int from, int to) {
        for (long[][] columns : types.values()) {
            columns[0][to] = columns[0][from];
            columns[1][to] = columns[1][from];
        }
    }

    long liveLoaders(String loaderType, int slot) {
        long[][] columns = types.get(loaderType);
        return columns == null ? SeriesTable.UNKNOWN : columns[0][slot];
    }

    long classesDefined(String loaderType, int slot) {
        long[][] columns = types.get(loaderType);
        return columns == null ? SeriesTable.UNKNOWN : columns[1][slot];
    }

    /** The types with columns, in no particular order. */
    Set<String> types() {
        return Collections.unmodifiableSet(types.keySet());
    }

    /** The {@code long[]} columns held: two per type. */
    long columnCount() {
        return 2L * types.size();
    }
}

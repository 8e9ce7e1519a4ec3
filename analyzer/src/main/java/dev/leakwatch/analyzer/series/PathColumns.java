package dev.leakwatch.analyzer.series;

import dev.leakwatch.format.model.SiteRetention;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimated live bytes, live samples and distinct epochs per allocation path, one slot per point of a
 * {@link SeriesTable}, and each path's newest description. Before a path was first seen its slots are
 * {@link SeriesTable#UNKNOWN}; afterwards a snapshot that does not name it counts 0.
 *
 * <p>At most {@code maxPaths} paths get columns, since each snapshot names only its top paths and a path that never
 * grew large is not worth memory; the others are counted as dropped. Columns are allocated {@code pathsPerBatch}
 * paths' worth at a time, so the table's footprint in the host's heap rises in a few steps rather than one path at a
 * time ({@link SeriesTable#PATHS_PER_BATCH} says why).
 */
final class PathColumns {
    /** Columns per path: bytes, samples, epochs. */
    static final int COLUMNS = 3;

    private final int length;
    private final int maxPaths;
    private final int pathsPerBatch;
    private final Map<String, Path> paths = new HashMap<>();
    /** Allocated columns not yet given to a path: the rest of the current batch. */
    private final ArrayDeque<long[]> spare = new ArrayDeque<>();

    private long dropped;
    /** Bytes of the byte arrays behind the keys of the paths that have columns. */
    private long nameBytes;

    PathColumns(int length, int maxPaths, int pathsPerBatch) {
        this.length = length;
        this.maxPaths = maxPaths;
        this.pathsPerBatch = pathsPerBatch;
    }

    /** Writes a snapshot's paths to a slot; a snapshot without allocation tracking writes none. */
    void write(int slot, List<SiteRetention> sitePaths) {
        for (Path columns : paths.values()) {
            columns.bytes[slot] = 0;
            columns.samples[slot] = 0;
            columns.epochs[slot] = 0;
        }
        for (SiteRetention site : sitePaths) {
            String key = site.pathKey();
            Path columns = paths.get(key);
            if (columns == null) {
                if (paths.size() >= maxPaths) {
                    dropped++;
                    continue;
                }
                columns = new Path(column(), column(), column(), slot);
                paths.put(key, columns);
                nameBytes += HeapSizes.stringArrayBytes(key);
            }
            columns.latest = site;
            columns.bytes[slot] = site.estimatedLiveBytes();
            columns.samples[slot] = site.liveSamples();
            columns.epochs[slot] = site.distinctEpochs();
        }
    }

    /** A fresh column for a new path, from the current batch; a new batch when it is used up. */
    private long[] column() {
        if (spare.isEmpty()) {
            for (int i = 0; i < pathsPerBatch * COLUMNS; i++) {
                spare.add(new long[length]);
            }
        }
        return spare.poll();
    }

    void move(int from, int to) {
        for (Path columns : paths.values()) {
            columns.bytes[to] = columns.bytes[from];
            columns.samples[to] = columns.samples[from];
            columns.epochs[to] = columns.epochs[from];
        }
    }

    long bytes(String pathKey, int slot) {
        Path columns = paths.get(pathKey);
        return columns == null ? SeriesTable.UNKNOWN : columns.bytes[slot];
    }

    long samples(String pathKey, int slot) {
        Path columns = paths.get(pathKey);
        return columns == null ? SeriesTable.UNKNOWN : columns.samples[slot];
    }

    long epochs(String pathKey, int slot) {
        Path columns = paths.get(pathKey);
        return columns == null ? SeriesTable.UNKNOWN : columns.epochs[slot];
    }

    /** The newest description of a path, or null if it has no columns. */
    SiteRetention latest(String pathKey) {
        Path columns = paths.get(pathKey);
        return columns == null ? null : columns.latest;
    }

    /** Keys of the paths with columns, in no particular order. */
    Set<String> keys() {
        return Collections.unmodifiableSet(paths.keySet());
    }

    int size() {
        return paths.size();
    }

    /** New paths turned away because {@code maxPaths} had columns, counted once per snapshot that named them. */
    long dropped() {
        return dropped;
    }

    /** The {@code long[]} columns allocated, in use or spare: whole batches only. */
    int columnCount() {
        return paths.size() * COLUMNS + spare.size();
    }

    /** Bytes of the byte arrays behind the keys of the paths with columns. */
    long nameBytes() {
        return nameBytes;
    }

    private static final class Path {
        final long[] bytes;
        final long[] samples;
        final long[] epochs;
        SiteRetention latest;

        /** Takes three fresh columns: bytes, samples, epochs. */
        Path(long[] bytes, long[] samples, long[] epochs, int firstSlot) {
            this.bytes = bytes;
            this.samples = samples;
            this.epochs = epochs;
            Arrays.fill(bytes, 0, firstSlot, SeriesTable.UNKNOWN);
            Arrays.fill(samples, 0, firstSlot, SeriesTable.UNKNOWN);
            Arrays.fill(epochs, 0, firstSlot, SeriesTable.UNKNOWN);
        }
    }
}

package dev.leakwatch.analyzer.series;

import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.LoaderStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.segment.ThinningPolicy;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The time series the analysis works on, one column per point in time: per-class bytes and instances, and the JVM
 * gauges that matter for leaks. It holds at most {@code capacity - 1} points however long the recording runs, thinned
 * in place by a {@link ThinningPolicy}: the points still span the whole run at an even spacing, and the newest
 * snapshot is always present as the last point.
 *
 * <p>Why a table and not a list of snapshots: inside the agent this is the only memory that lives as long as the
 * recording. Its arrays are allocated once per class (and only for classes that ever reach {@link #TRACKING_FLOOR_BYTES}),
 * so once the application's class set has settled the agent retains nothing new per snapshot, and its own footprint
 * cannot look like a leak in the very histograms it takes.
 *
 * <p>Values the table did not track at a point (a class that was still below the floor) are {@link #UNKNOWN}.
 * Not thread-safe: one owner adds, and readers copy what they need under the owner's lock.
 */
public final class SeriesTable {
    /** Marks a value that was not recorded at a point. */
    public static final long UNKNOWN = -1;
    /**
     * Classes smaller than this in every snapshot so far are not tracked: they cannot carry a leak worth reporting
     * yet, and tracking every one of an application's thousands of classes would multiply our own footprint. Not
     * higher: at 16 KB a leak of small objects (a 32-byte Session, 31 a second) was tracked only after 16 s, and
     * until then its byte[] led a suspect of its own.
     */
    public static final long TRACKING_FLOOR_BYTES = 4 * 1024;
    /** Class loader types tracked at most. */
    public static final int MAX_LOADER_TYPES = 64;
    /** Allocation paths tracked at most. */
    public static final int MAX_PATHS = 512;
    /**
     * Path columns are allocated this many paths' worth at a time. The agent keeps this table in the host's heap: one
     * path's three columns allocated as each new path turned up made a slow, steady growth of {@code long[]} in the
     * host's own histogram, about 3 KB per path, and a control sample was flagged with it (long[], 35-50 KB/min, in
     * the first half-minute of a recording that snapshots every second). In batches, the table's footprint rises in
     * a few steps over a recording. Steps that kept coming (a new path every snapshot, at a high sampling rate) still
     * read as growth, so the agent also names the table's objects in each snapshot ({@link #ownFootprint()}) and
     * {@link #add} takes them out of the histogram.
     */
    static final int PATHS_PER_BATCH = 32;

    private final int capacity;
    /**
     * Holds at most {@code capacity - 1} points, so the columns' last slot is never written. Kept so: the points a
     * given capacity keeps are pinned by the golden reports (301 points into 256), and the column length by
     * {@link #ownFootprint()}'s sizes (SeriesTableTest#itsFootprintCountsTheColumnsAndNamesItHolds).
     */
    private final ThinningPolicy thinning;

    private final long[] epochMillis;
    private final long[] durationMillis;
    private final HistogramKind[] kinds;
    private final long[] histogramTotalBytes;
    private final Map<Gauge, long[]> gauges = new EnumMap<>(Gauge.class);
    private final Map<String, ClassColumns> classes = new HashMap<>();
    private final Map<String, PathColumns> paths = new HashMap<>();
    private final ArrayDeque<long[]> spareColumns = new ArrayDeque<>();
    private final long[] samplingInterval;
    private long pathsDropped;
    /** Bytes of the byte arrays behind the names of the classes and paths this table has columns for. */
    private long keyArrayBytes;
    private AllocationStats latestAllocations;
    private final Map<String, long[][]> loaders = new HashMap<>();
    private long pid = -1;
    private String jvmVersion = "";

    /** The JVM-wide quantities kept per point; {@link #UNKNOWN} where the source had no gauges. */
    public enum Gauge {
        HEAP_LIVE_AFTER_GC, HEAP_MAX, LOADED_CLASSES, UNLOADED_CLASSES, LIVE_THREADS, DIRECT_BUFFER_BYTES,
        METASPACE_USED
    }

    public SeriesTable(int capacity) {
        if (capacity < 8) {
            throw new IllegalArgumentException("a series table needs room for at least 8 points, got " + capacity);
        }
        this.capacity = capacity;
        this.thinning = new ThinningPolicy(capacity - 1);
        this.epochMillis = new long[capacity];
        this.durationMillis = new long[capacity];
        this.kinds = new HistogramKind[capacity];
        this.histogramTotalBytes = new long[capacity];
        this.samplingInterval = new long[capacity];
        for (Gauge gauge : Gauge.values()) {
            gauges.put(gauge, new long[capacity]);
        }
    }

    public static SeriesTable of(SnapshotSeries series, int capacity) {
        SeriesTable table = new SeriesTable(capacity);
        series.snapshots().forEach(table::add);
        return table;
    }

    public void add(Snapshot snapshot) {
        int slot = thinning.nextSlot();
        write(slot, snapshot);
        thinning.accept(this::move);
        pid = snapshot.pid();
        jvmVersion = snapshot.jvmVersion();
    }

    private void write(int slot, Snapshot snapshot) {
        epochMillis[slot] = snapshot.epochMillis();
        durationMillis[slot] = snapshot.durationMillis();
        kinds[slot] = snapshot.histogram().kind();
        writeGauges(slot, snapshot.gauges());
        ClassHistogram histogram = snapshot.histogram();
        long total = 0;
        for (ClassColumns columns : classes.values()) {
            columns.bytes[slot] = 0;
            columns.instances[slot] = 0;
        }
        // A histogram lists a class once per defining loader: the same name can appear several times, and the
        // tracking floor applies to the sum. Untracked rows are summed first; only their names cost memory here.
        Map<String, long[]> untracked = new HashMap<>();
        for (int row = 0; row < histogram.size(); row++) {
            long bytes = histogram.bytes(row);
            total += bytes;
            ClassColumns columns = classes.get(histogram.className(row));
            if (columns == null) {
                long[] sum = untracked.computeIfAbsent(histogram.className(row), name -> new long[2]);
                sum[0] += bytes;
                sum[1] += histogram.instances(row);
                continue;
            }
            columns.bytes[slot] += bytes;
            columns.instances[slot] += histogram.instances(row);
        }
        total -= subtractAgentOwned(slot, snapshot.agentOwned(), untracked);
        for (Map.Entry<String, long[]> entry : untracked.entrySet()) {
            if (entry.getValue()[0] >= TRACKING_FLOOR_BYTES) {
                ClassColumns columns = new ClassColumns(capacity, slot);
                columns.bytes[slot] = entry.getValue()[0];
                columns.instances[slot] = entry.getValue()[1];
                classes.put(entry.getKey(), columns);
                keyArrayBytes += stringArrayBytes(entry.getKey());
            }
        }
        histogramTotalBytes[slot] = total;
        writeAllocations(slot, snapshot.allocations());
    }

    /**
     * Takes the agent's own objects out of the class rows they were counted in, before the tracking floor applies:
     * otherwise the columns the agent adds as it learns new classes and paths read as a slow leak of {@code long[]}.
     * Returns the bytes taken out.
     */
    private long subtractAgentOwned(int slot, List<ClassCount> owned, Map<String, long[]> untracked) {
        long subtracted = 0;
        for (ClassCount row : owned) {
            ClassColumns columns = classes.get(row.className());
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

    /**
     * What this table holds that grows with the classes and paths it learns, as histogram rows: its {@code long[]}
     * columns, and the names it keys them by ({@code String} and {@code byte[]}). When the table lives in the heap it
     * analyses (the agent's live report), the agent names them in each snapshot's {@code agentOwned} and the analysis
     * takes them out again. Not counted: map entries and the small objects holding the columns, under a tenth of this.
     */
    public List<ClassCount> ownFootprint() {
        long arrays = 4 + gauges.size() + 2L * classes.size() + allocatedPathColumns() + 2L * loaders.size();
        long names = classes.size() + paths.size();
        return List.of(new ClassCount("long[]", arrays, arrays * arrayBytes(8L * capacity)),
                new ClassCount("java.lang.String", names, names * STRING_BYTES),
                new ClassCount("byte[]", names, keyArrayBytes));
    }

    /**
     * Sizes in a 64-bit HotSpot heap with compressed class pointers and compact strings (the defaults): an array has a
     * 16-byte header, objects are 8-byte aligned, a String is 24 bytes with a byte array of one byte per character
     * when every character fits in one (Latin-1), else two. Other layouts are off by a few bytes per object.
     */
    private static final long STRING_BYTES = 24;

    static long arrayBytes(long elementBytes) {
        return (16 + elementBytes + 7) & ~7L;
    }

    static long stringArrayBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return arrayBytes(2L * value.length());
            }
        }
        return arrayBytes(value.length());
    }

    /**
     * Allocation paths get columns like classes; at most {@link #MAX_PATHS} of them, since each snapshot names only
     * its top paths and a path that never grew large is not worth memory.
     */
    private void writeAllocations(int slot, Optional<AllocationStats> maybe) {
        for (PathColumns columns : paths.values()) {
            columns.bytes[slot] = 0;
            columns.samples[slot] = 0;
            columns.epochs[slot] = 0;
        }
        for (long[][] columns : loaders.values()) {
            columns[0][slot] = 0;
            columns[1][slot] = 0;
        }
        if (maybe.isEmpty()) {
            samplingInterval[slot] = UNKNOWN;
            return;
        }
        AllocationStats stats = maybe.get();
        samplingInterval[slot] = stats.samplingInterval();
        latestAllocations = new AllocationStats(stats.samplingInterval(), stats.trackedObjects(), stats.capacity(),
                stats.evictedSamples(), List.of()).withInstrumentation(stats.instrumentation())
                .withSampler(stats.sampler(), stats.samplingInterval());
        for (LoaderStats loader : stats.loaders()) {
            long[][] columns = loaders.get(loader.loaderType());
            if (columns == null) {
                if (loaders.size() >= MAX_LOADER_TYPES) {
                    continue;
                }
                columns = new long[][] {new long[capacity], new long[capacity]};
                Arrays.fill(columns[0], 0, slot, UNKNOWN);
                Arrays.fill(columns[1], 0, slot, UNKNOWN);
                loaders.put(loader.loaderType(), columns);
            }
            columns[0][slot] = loader.liveLoaders();
            columns[1][slot] = loader.definedClasses();
        }
        for (SiteRetention path : stats.paths()) {
            PathColumns columns = paths.get(path.pathKey());
            if (columns == null) {
                if (paths.size() >= MAX_PATHS) {
                    pathsDropped++;
                    continue;
                }
                columns = new PathColumns(pathColumn(), pathColumn(), pathColumn(), slot);
                String key = path.pathKey();
                paths.put(key, columns);
                keyArrayBytes += stringArrayBytes(key);
            }
            columns.latest = path;
            columns.bytes[slot] = path.estimatedLiveBytes();
            columns.samples[slot] = path.liveSamples();
            columns.epochs[slot] = path.distinctEpochs();
        }
    }

    /** Path columns allocated so far, in use or spare: whole batches only. */
    int allocatedPathColumns() {
        return paths.size() * PathColumns.COLUMNS + spareColumns.size();
    }

    /** A fresh column for a new path, from the current batch; a new batch when it is used up. */
    private long[] pathColumn() {
        if (spareColumns.isEmpty()) {
            for (int i = 0; i < PATHS_PER_BATCH * PathColumns.COLUMNS; i++) {
                spareColumns.add(new long[capacity]);
            }
        }
        return spareColumns.poll();
    }

    private void writeGauges(int slot, Optional<JvmGauges> maybe) {
        if (maybe.isEmpty()) {
            gauges.values().forEach(column -> column[slot] = UNKNOWN);
            return;
        }
        JvmGauges jvm = maybe.get();
        gauges.get(Gauge.HEAP_LIVE_AFTER_GC)[slot] = jvm.heapLiveAfterGc();
        gauges.get(Gauge.HEAP_MAX)[slot] = jvm.heapMax();
        gauges.get(Gauge.LOADED_CLASSES)[slot] = jvm.loadedClasses();
        gauges.get(Gauge.UNLOADED_CLASSES)[slot] = jvm.unloadedClasses();
        gauges.get(Gauge.LIVE_THREADS)[slot] = jvm.liveThreads();
        gauges.get(Gauge.DIRECT_BUFFER_BYTES)[slot] = jvm.bufferPool("direct").map(BufferPoolGauge::usedBytes).orElse(UNKNOWN);
        gauges.get(Gauge.METASPACE_USED)[slot] = jvm.metaspaceUsed();
    }

    /** Moves a point to a lower slot when the policy thins: every column moves with it, and nothing is allocated. */
    private void move(int from, int to) {
        epochMillis[to] = epochMillis[from];
        durationMillis[to] = durationMillis[from];
        kinds[to] = kinds[from];
        histogramTotalBytes[to] = histogramTotalBytes[from];
        for (long[] column : gauges.values()) {
            column[to] = column[from];
        }
        for (ClassColumns columns : classes.values()) {
            columns.bytes[to] = columns.bytes[from];
            columns.instances[to] = columns.instances[from];
        }
        samplingInterval[to] = samplingInterval[from];
        for (long[][] columns : loaders.values()) {
            columns[0][to] = columns[0][from];
            columns[1][to] = columns[1][from];
        }
        for (PathColumns columns : paths.values()) {
            columns.bytes[to] = columns.bytes[from];
            columns.samples[to] = columns.samples[from];
            columns.epochs[to] = columns.epochs[from];
        }
    }

    /** Points present, the newest last. */
    public int size() {
        return thinning.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public long offered() {
        return thinning.offered();
    }

    public int capacity() {
        return capacity;
    }

    public long epochMillis(int point) {
        return epochMillis[checked(point)];
    }

    public long durationMillis(int point) {
        return durationMillis[checked(point)];
    }

    public HistogramKind kind(int point) {
        return kinds[checked(point)];
    }

    /** The sum of all bytes in the point's histogram: the exact live set when the kind is {@code LIVE}. */
    public long histogramTotalBytes(int point) {
        return histogramTotalBytes[checked(point)];
    }

    public long gauge(Gauge gauge, int point) {
        return gauges.get(gauge)[checked(point)];
    }

    public long pid() {
        return pid;
    }

    public String jvmVersion() {
        return jvmVersion;
    }

    /** Names of the tracked classes, in no particular order. */
    public Iterable<String> classNames() {
        return Collections.unmodifiableSet(classes.keySet());
    }

    public int classCount() {
        return classes.size();
    }

    /** Bytes of the class at a point, {@link #UNKNOWN} if it was not tracked then (or never). */
    public long classBytes(String className, int point) {
        ClassColumns columns = classes.get(className);
        return columns == null ? UNKNOWN : columns.bytes[checked(point)];
    }

    public long classInstances(String className, int point) {
        ClassColumns columns = classes.get(className);
        return columns == null ? UNKNOWN : columns.instances[checked(point)];
    }

    /** Whether any point carries allocation-site tracking. */
    public boolean hasAllocations() {
        return !paths.isEmpty();
    }

    /** Keys ({@link SiteRetention#pathKey()}) of the tracked allocation paths, in no particular order. */
    public Iterable<String> pathKeys() {
        return Collections.unmodifiableSet(paths.keySet());
    }

    /** The newest description of a path (its frames, type, oldest allocation), or null. */
    public SiteRetention path(String pathKey) {
        PathColumns columns = paths.get(pathKey);
        return columns == null ? null : columns.latest;
    }

    /** Estimated live bytes of a path at a point, {@link #UNKNOWN} before it was first seen. */
    public long pathBytes(String pathKey, int point) {
        PathColumns columns = paths.get(pathKey);
        return columns == null ? UNKNOWN : columns.bytes[checked(point)];
    }

    public long pathSamples(String pathKey, int point) {
        PathColumns columns = paths.get(pathKey);
        return columns == null ? UNKNOWN : columns.samples[checked(point)];
    }

    public long pathEpochs(String pathKey, int point) {
        PathColumns columns = paths.get(pathKey);
        return columns == null ? UNKNOWN : columns.epochs[checked(point)];
    }

    /** Loader types seen in the allocations sections, in no particular order. */
    public Iterable<String> loaderTypes() {
        return Collections.unmodifiableSet(loaders.keySet());
    }

    /** Live loaders of a type at a point, {@link #UNKNOWN} before the type was first seen. */
    public long liveLoaders(String loaderType, int point) {
        long[][] columns = loaders.get(loaderType);
        return columns == null ? UNKNOWN : columns[0][checked(point)];
    }

    /** Classes defined by loaders of a type since the agent started, at a point. */
    public long classesDefinedBy(String loaderType, int point) {
        long[][] columns = loaders.get(loaderType);
        return columns == null ? UNKNOWN : columns[1][checked(point)];
    }

    /** The newest snapshot's allocation tracking totals (without its paths), or null without tracking. */
    public AllocationStats latestAllocationTotals() {
        return latestAllocations;
    }

    public long pathsDropped() {
        return pathsDropped;
    }

    /** How many histograms of each kind the table holds, by wire name. */
    public Map<String, Integer> kindCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int point = 0; point < size(); point++) {
            counts.merge(kinds[point].wireName(), 1, Integer::sum);
        }
        return counts;
    }

    private int checked(int point) {
        if (point < 0 || point >= size()) {
            throw new IndexOutOfBoundsException("point " + point + " of " + size());
        }
        return point;
    }

    private static final class PathColumns {
        static final int COLUMNS = 3;
        final long[] bytes;
        final long[] samples;
        final long[] epochs;
        SiteRetention latest;

        /** Takes three fresh columns of the table's capacity: bytes, samples, epochs. */
        PathColumns(long[] bytes, long[] samples, long[] epochs, int firstSlot) {
            this.bytes = bytes;
            this.samples = samples;
            this.epochs = epochs;
            Arrays.fill(bytes, 0, firstSlot, UNKNOWN);
            Arrays.fill(samples, 0, firstSlot, UNKNOWN);
            Arrays.fill(epochs, 0, firstSlot, UNKNOWN);
        }
    }

    private static final class ClassColumns {
        final long[] bytes;
        final long[] instances;

        ClassColumns(int capacity, int firstSlot) {
            bytes = new long[capacity];
            instances = new long[capacity];
            Arrays.fill(bytes, 0, firstSlot, UNKNOWN);
            Arrays.fill(instances, 0, firstSlot, UNKNOWN);
        }
    }
}

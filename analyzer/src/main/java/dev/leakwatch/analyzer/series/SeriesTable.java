package dev.leakwatch.analyzer.series;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.ThinningPolicy;
import java.util.EnumMap;
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
    /** The {@code long[]} columns every table holds: time, duration, histogram total and sampling interval. */
    private static final int FIXED_COLUMNS = 4;

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
    private final long[] samplingInterval;
    private final ClassColumns classes;
    private final PathColumns paths;
    private final LoaderColumns loaders;
    private AllocationStats latestAllocations;
    private long pid = -1;
    private String jvmVersion = "";

    /** The JVM-wide quantities kept per point; {@link #UNKNOWN} where the source had no gauges. */
    public enum Gauge {
        HEAP_LIVE_AFTER_GC,
        HEAP_MAX,
        LOADED_CLASSES,
        UNLOADED_CLASSES,
        LIVE_THREADS,
        DIRECT_BUFFER_BYTES,
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
        this.classes = new ClassColumns(capacity, TRACKING_FLOOR_BYTES);
        this.paths = new PathColumns(capacity, MAX_PATHS, PATHS_PER_BATCH);
        this.loaders = new LoaderColumns(capacity, MAX_LOADER_TYPES);
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
        histogramTotalBytes[slot] = classes.write(slot, snapshot.histogram(), snapshot.agentOwned());
        writeAllocations(slot, snapshot.allocations());
    }

    /**
     * What this table holds that grows with the classes and paths it learns, as histogram rows: its {@code long[]}
     * columns, and the names it keys them by ({@code String} and {@code byte[]}). When the table lives in the heap it
     * analyses (the agent's live report), the agent names them in each snapshot's {@code agentOwned} and the analysis
     * takes them out again. Not counted: map entries and the small objects holding the columns, under a tenth of this;
     * and the loader types' names, at most {@link #MAX_LOADER_TYPES}.
     */
    public List<ClassCount> ownFootprint() {
        long arrays =
                FIXED_COLUMNS + gauges.size() + classes.columnCount() + paths.columnCount() + loaders.columnCount();
        long names = classes.size() + paths.size();
        return List.of(
                new ClassCount("long[]", arrays, arrays * HeapSizes.arrayBytes(8L * capacity)),
                new ClassCount("java.lang.String", names, names * HeapSizes.STRING_BYTES),
                new ClassCount("byte[]", names, classes.nameBytes() + paths.nameBytes()));
    }

    private void writeAllocations(int slot, Optional<AllocationStats> maybe) {
        if (maybe.isEmpty()) {
            loaders.write(slot, List.of());
            paths.write(slot, List.of());
            samplingInterval[slot] = UNKNOWN;
            return;
        }
        AllocationStats stats = maybe.get();
        samplingInterval[slot] = stats.samplingInterval();
        latestAllocations = new AllocationStats(
                        stats.samplingInterval(),
                        stats.trackedObjects(),
                        stats.capacity(),
                        stats.evictedSamples(),
                        List.of())
                .withInstrumentation(stats.instrumentation())
                .withSampler(stats.sampler(), stats.samplingInterval());
        loaders.write(slot, stats.loaders());
        paths.write(slot, stats.paths());
    }

    /** Path columns allocated so far, in use or spare: whole batches only. */
    int allocatedPathColumns() {
        return paths.columnCount();
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
        gauges.get(Gauge.DIRECT_BUFFER_BYTES)[slot] =
                jvm.bufferPool("direct").map(BufferPoolGauge::usedBytes).orElse(UNKNOWN);
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
        samplingInterval[to] = samplingInterval[from];
        classes.move(from, to);
        loaders.move(from, to);
        paths.move(from, to);
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
        return classes.names();
    }

    public int classCount() {
        return classes.size();
    }

    /** Bytes of the class at a point, {@link #UNKNOWN} if it was not tracked then (or never). */
    public long classBytes(String className, int point) {
        return classes.bytes(className, checked(point));
    }

    public long classInstances(String className, int point) {
        return classes.instances(className, checked(point));
    }

    /** Whether any point carries allocation-site tracking. */
    public boolean hasAllocations() {
        return paths.size() > 0;
    }

    /** Keys ({@link SiteRetention#pathKey()}) of the tracked allocation paths, in no particular order. */
    public Iterable<String> pathKeys() {
        return paths.keys();
    }

    /** The newest description of a path (its frames, type, oldest allocation), or null. */
    public SiteRetention path(String pathKey) {
        return paths.latest(pathKey);
    }

    /** Estimated live bytes of a path at a point, {@link #UNKNOWN} before it was first seen. */
    public long pathBytes(String pathKey, int point) {
        return paths.bytes(pathKey, checked(point));
    }

    public long pathSamples(String pathKey, int point) {
        return paths.samples(pathKey, checked(point));
    }

    public long pathEpochs(String pathKey, int point) {
        return paths.epochs(pathKey, checked(point));
    }

    /** Loader types seen in the allocations sections, in no particular order. */
    public Iterable<String> loaderTypes() {
        return loaders.types();
    }

    /** Live loaders of a type at a point, {@link #UNKNOWN} before the type was first seen. */
    public long liveLoaders(String loaderType, int point) {
        return loaders.liveLoaders(loaderType, checked(point));
    }

    /** Classes defined by loaders of a type since the agent started, at a point. */
    public long classesDefinedBy(String loaderType, int point) {
        return loaders.classesDefined(loaderType, checked(point));
    }

    /** The newest snapshot's allocation tracking totals (without its paths), or null without tracking. */
    public AllocationStats latestAllocationTotals() {
        return latestAllocations;
    }

    public long pathsDropped() {
        return paths.dropped();
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
}

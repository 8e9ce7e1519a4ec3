package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.LoaderStats;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.LeakReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A recording made up in memory: snapshots every {@link #every interval} (2 s by default) for {@link #lasting a
 * span} (10 minutes by default), each class's bytes and instances a function of the seconds since the start, and
 * JVM gauges whose loaded-class count settles after 10 s, as an application's does once it has warmed up.
 *
 * <p>Everything is deterministic: noise is a function of (seed, time), not of call order, so a scenario gives the
 * same table on every run and golden files stay stable.
 *
 * <p>Shared by the analysis, report and CLI tests, hence public.
 */
public final class SyntheticRecording {
    public static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    /** The time stamped on reports in tests: fixed, so output can be compared byte for byte. */
    public static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    /** The same capacity the CLI analyses with ({@code AnalyzerCommand.ANALYSIS_POINTS}). */
    public static final int TABLE_CAPACITY = 256;

    public static final long MB = 1024 * 1024;
    public static final long KB = 1024;

    /** A value as a function of seconds since the recording's start. */
    @FunctionalInterface
    public interface Curve {
        double at(double seconds);

        default Curve plus(Curve other) {
            return seconds -> at(seconds) + other.at(seconds);
        }

        default Curve times(double factor) {
            return seconds -> at(seconds) * factor;
        }
    }

    private record ClassCurves(Curve bytes, Curve instances) {}

    /**
     * An allocation path as the agent would report it at each snapshot: its live samples, what each stands for in
     * bytes, how many snapshot epochs they come from and how old the oldest is. A snapshot names the path only while it
     * has live samples.
     */
    private record PathCurves(
            String type,
            List<String> frames,
            int firstApplicationFrame,
            Curve liveSamples,
            long bytesPerSample,
            Curve epochs,
            Curve oldestAgeSeconds) {}

    /** The sampling interval the synthetic allocation tracking reports; the estimates need not follow it. */
    private static final long SAMPLING_INTERVAL = 4096;

    /** A class loader type's live loaders and the classes they defined, as functions of time. */
    private record LoaderCurves(String type, Curve live, Curve defined) {}

    private Duration interval = Duration.ofSeconds(2);
    private Duration length = Duration.ofMinutes(10);
    private final Map<String, ClassCurves> classes = new LinkedHashMap<>();
    private final List<PathCurves> paths = new ArrayList<>();
    private Curve loadedClasses = settlesAt(10, 2_000, 5_000);
    private Curve unloadedClasses = constant(100);
    private final List<LoaderCurves> loaders = new ArrayList<>();
    private Curve liveThreads = constant(24);
    private Curve heapLiveAfterGc;
    private Curve directBufferBytes = constant(64 * KB);
    private long heapMax = 512 * MB;
    private boolean gauges = true;
    private HistogramKind kind = HistogramKind.LIVE;
    private long pid = 4242;

    public static SyntheticRecording create() {
        return new SyntheticRecording();
    }

    public SyntheticRecording every(Duration newInterval) {
        interval = newInterval;
        return this;
    }

    public SyntheticRecording lasting(Duration newLength) {
        length = newLength;
        return this;
    }

    /** A class with its own byte and instance curves. */
    public SyntheticRecording withClass(String className, Curve bytes, Curve instances) {
        classes.put(className, new ClassCurves(bytes, instances));
        return this;
    }

    /** A class whose instances all have {@code objectSize} bytes: bytes follow the count. */
    public SyntheticRecording withObjects(String className, long objectSize, Curve count) {
        return withClass(className, count.times(objectSize), count);
    }

    /**
     * An allocation path, which turns allocation tracking on: every snapshot then carries the paths with live samples
     * at its time.
     *
     * @param frames                innermost first, like {@code com.acme.Cache.put(Cache.java:42)}; the first frame
     *                              outside the JDK is taken to be {@code firstApplicationFrame}
     * @param liveSamples           rounded; the path is left out of a snapshot where it has none
     * @param bytesPerSample        estimated live bytes per live sample
     * @param epochs                snapshot epochs the live samples come from, rounded
     * @param oldestAgeSeconds      age of the oldest live sample
     */
    public SyntheticRecording withPath(
            String type,
            List<String> frames,
            int firstApplicationFrame,
            Curve liveSamples,
            long bytesPerSample,
            Curve epochs,
            Curve oldestAgeSeconds) {
        paths.add(new PathCurves(
                type, frames, firstApplicationFrame, liveSamples, bytesPerSample, epochs, oldestAgeSeconds));
        return this;
    }

    public SyntheticRecording loadedClasses(Curve curve) {
        loadedClasses = curve;
        return this;
    }

    /** Classes unloaded since the JVM started; the JVM's total loaded count is loaded plus unloaded. */
    public SyntheticRecording unloadedClasses(Curve curve) {
        unloadedClasses = curve;
        return this;
    }

    /**
     * A class loader type in the agent's class-definition counts, which snapshots carry in their allocations section:
     * with any loader type, every snapshot has one (allocation tracking on, no paths).
     */
    public SyntheticRecording withLoaders(String type, Curve live, Curve defined) {
        loaders.add(new LoaderCurves(type, live, defined));
        return this;
    }

    public SyntheticRecording liveThreads(Curve curve) {
        liveThreads = curve;
        return this;
    }

    public SyntheticRecording directBufferBytes(Curve curve) {
        directBufferBytes = curve;
        return this;
    }

    /** The old generation's usage after GC; without it the pools report the histogram total. */
    public SyntheticRecording heapLiveAfterGc(Curve curve) {
        heapLiveAfterGc = curve;
        return this;
    }

    public SyntheticRecording heapMax(long bytes) {
        heapMax = bytes;
        return this;
    }

    public SyntheticRecording withoutGauges() {
        gauges = false;
        return this;
    }

    public SyntheticRecording kind(HistogramKind newKind) {
        kind = newKind;
        return this;
    }

    public int pointCount() {
        return (int) (length.toMillis() / interval.toMillis()) + 1;
    }

    public List<Snapshot> snapshots() {
        List<Snapshot> snapshots = new ArrayList<>();
        for (int point = 0; point < pointCount(); point++) {
            snapshots.add(snapshot(point));
        }
        return snapshots;
    }

    public Snapshot snapshot(int point) {
        long offsetMillis = point * interval.toMillis();
        double seconds = offsetMillis / 1000.0;
        int rows = classes.size();
        String[] names = new String[rows];
        long[] instances = new long[rows];
        long[] bytes = new long[rows];
        int row = 0;
        long total = 0;
        for (Map.Entry<String, ClassCurves> entry : classes.entrySet()) {
            names[row] = entry.getKey();
            bytes[row] = Math.max(0, Math.round(entry.getValue().bytes().at(seconds)));
            instances[row] = Math.max(0, Math.round(entry.getValue().instances().at(seconds)));
            total += bytes[row];
            row++;
        }
        ClassHistogram histogram = new ClassHistogram(kind, names, instances, bytes);
        long epochMillis = START.toEpochMilli() + offsetMillis;
        long uptime = 5_000 + offsetMillis;
        return new Snapshot(
                point,
                epochMillis,
                uptime,
                pid,
                "17.0.15+6",
                40,
                histogram,
                gauges ? Optional.of(gauges(seconds, point, total)) : Optional.empty(),
                paths.isEmpty() && loaders.isEmpty()
                        ? Optional.empty()
                        : Optional.of(allocations(seconds, epochMillis)));
    }

    private AllocationStats allocations(double seconds, long epochMillis) {
        List<SiteRetention> named = new ArrayList<>();
        long tracked = 0;
        for (PathCurves path : paths) {
            long samples = Math.max(0, Math.round(path.liveSamples().at(seconds)));
            if (samples == 0) {
                continue;
            }
            tracked += samples;
            named.add(new SiteRetention(
                    path.type(),
                    path.frames(),
                    path.firstApplicationFrame(),
                    path.firstApplicationFrame(),
                    samples,
                    samples * SAMPLING_INTERVAL,
                    samples * path.bytesPerSample(),
                    (int) Math.max(1, Math.round(path.epochs().at(seconds))),
                    epochMillis - Math.round(path.oldestAgeSeconds().at(seconds) * 1000)));
        }
        named.sort(Comparator.comparingLong(SiteRetention::estimatedLiveBytes).reversed());
        List<LoaderStats> stats = new ArrayList<>();
        for (LoaderCurves loader : loaders) {
            stats.add(new LoaderStats(
                    loader.type(),
                    Math.round(loader.live().at(seconds)),
                    Math.round(loader.defined().at(seconds))));
        }
        return new AllocationStats(SAMPLING_INTERVAL, tracked, 100_000, 0, named, stats, null);
    }

    private JvmGauges gauges(double seconds, int point, long histogramTotal) {
        long oldAfterGc = heapLiveAfterGc == null ? histogramTotal : Math.round(heapLiveAfterGc.at(seconds));
        long loaded = Math.round(loadedClasses.at(seconds));
        long unloaded = Math.round(unloadedClasses.at(seconds));
        List<MemoryPoolGauge> pools = List.of(
                new MemoryPoolGauge("G1 Eden Space", true, 24 * MB, 0, 48 * MB, -1),
                new MemoryPoolGauge("G1 Old Gen", true, oldAfterGc + 8 * MB, oldAfterGc, 256 * MB, heapMax),
                new MemoryPoolGauge("Metaspace", false, loaded * 6_000, -1, loaded * 6_500, -1));
        return new JvmGauges(
                oldAfterGc + 32 * MB,
                300 * MB,
                heapMax,
                60 * MB,
                loaded,
                loaded + unloaded,
                unloaded,
                (int) Math.round(liveThreads.at(seconds)),
                pools,
                List.of(new BufferPoolGauge("direct", 8, Math.round(directBufferBytes.at(seconds)), 64 * KB)),
                List.of(
                        new GcGauge("G1 Young Generation", 10 + point, 5 * point),
                        new GcGauge("G1 Old Generation", point, 40 * point)));
    }

    public SeriesTable table() {
        SeriesTable table = new SeriesTable(TABLE_CAPACITY);
        for (int point = 0; point < pointCount(); point++) {
            table.add(snapshot(point));
        }
        return table;
    }

    public static SeriesProvenance source() {
        return new SeriesProvenance("synthetic recording", 0, 0, List.of(), null);
    }

    public LeakReport analyze() {
        return analyze(new AnalysisSettings(Optional.empty(), FIXED_CLOCK));
    }

    public LeakReport analyze(AnalysisSettings settings) {
        SeriesTable table = table();
        SeriesProvenance source = new SeriesProvenance("synthetic recording", table.offered(), 0, List.of(), null);
        return new LeakAnalyzer().analyze(table, source, settings);
    }

    // ---- curves ----

    public static Curve constant(double value) {
        return seconds -> value;
    }

    public static Curve linear(double start, double perMinute) {
        return seconds -> start + perMinute * seconds / 60;
    }

    /** Flat at {@code start} until {@code onsetSeconds}, then rising at {@code perMinute}. */
    public static Curve linearFrom(double start, double perMinute, double onsetSeconds) {
        return seconds -> start + perMinute * Math.max(0, seconds - onsetSeconds) / 60;
    }

    /** Rising at {@code perMinute} until {@code untilSeconds}, flat from then on: a cache that filled up. */
    public static Curve plateau(double start, double perMinute, double untilSeconds) {
        return seconds -> start + perMinute * Math.min(seconds, untilSeconds) / 60;
    }

    /** Rising at {@code perMinute} and cleared back to {@code start} every {@code periodSeconds}. */
    public static Curve sawtooth(double start, double perMinute, double periodSeconds) {
        return seconds -> start + perMinute * (seconds % periodSeconds) / 60;
    }

    /** {@code perStep} more every {@code periodSeconds}, from {@code start}: a batch of classes per reload. */
    public static Curve steps(double start, double perStep, double periodSeconds) {
        return seconds -> start + perStep * Math.floor(seconds / periodSeconds);
    }

    /** Rising linearly from {@code from} to {@code to} until {@code atSeconds}, then flat. */
    public static Curve settlesAt(double atSeconds, double from, double to) {
        return seconds -> seconds >= atSeconds ? to : from + (to - from) * seconds / atSeconds;
    }

    /** Uniform noise in [-amplitude, amplitude], a pure function of (seed, time). */
    public static Curve noise(double amplitude, long seed) {
        return seconds -> {
            long millis = Math.round(seconds * 1000);
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + millis);
            return amplitude * (2 * random.nextDouble() - 1);
        };
    }
}

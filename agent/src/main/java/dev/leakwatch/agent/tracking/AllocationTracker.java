package dev.leakwatch.agent.tracking;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/**
 * Tracks the sampled allocations that are still alive, per allocation path (allocated type + the stack that led to
 * the site), and tells at each snapshot how much each path retains and since how many epochs.
 *
 * <p><b>Recording.</b> {@link #record} runs for a sampled allocation only: on the allocating thread for a bytecode
 * hook, on the agent's own thread for the JVM's heap sampler (which hands over the stack it took). It measures the
 * object, walks a short stack below the hook (unless given one), looks its path up without a lock, and appends a
 * weak reference to the path under the path's own lock: threads allocating on different paths never wait for each
 * other. Only a record
 * that finds the table full waits, for the thinning (or a snapshot in progress) to make room. The stack's strings
 * are built once, when a path is first seen. It never throws; every failure, including the size function's, is
 * counted in {@link #failures()} and the sample dropped. About 9 µs on JDK 17 with a 24-frame stack, nearly all of
 * it the {@link StackWalker} walk.
 *
 * <p><b>Bounded memory.</b> At most {@code capacity} samples (about 70 bytes each) and {@code maxPaths} paths (each
 * stack's strings shared across paths; stacks beyond the cap go to a per-site "other stacks" path). When the table is
 * full even after draining the dead, the tracker <em>thins</em>: every tracked sample is kept with probability 1/2
 * (the kept ones now weigh twice as much), and from then on only one offered sample in 2, 4, ... is kept, with that
 * weight. Estimates sum the weights, so they stay unbiased. The rate relaxes again when the table empties to a
 * quarter. Thinned and refused samples count as evictions.
 *
 * <p>Why thinning rather than evicting by age or by path: a leak shows as a path whose live samples span ever more
 * epochs, and its oldest survivors are the evidence. Evicting the oldest (or the largest path's oldest) erases that
 * evidence first. A classic reservoir keeps an unbiased sample of the past but takes new samples ever more rarely (with
 * probability capacity/seen), so growth that starts late in a long run goes unseen, and it has no answer for samples
 * that die. Thinning treats every path and every age alike, keeps the epoch spread of each path in expectation,
 * keeps following growth at a known rate, and makes recording cheaper under pressure (a refused sample costs a
 * random number, not a stack walk). The price is resolution: a path with a single sample may vanish in a thinning.
 * Thinning is O(tracked samples) and happens once per doubling of the retained set.
 *
 * <p><b>Stretched sampling intervals.</b> When the agent stretches the hook's interval to bound the samples per second
 * ({@code SampleRateCeiling}), a sample taken at {@code m} times the base interval stands for {@code m} times as many
 * allocations: {@link #record(Object, int, int)} multiplies its weight by {@code m}, and {@link #snapshot} keeps
 * scaling by the base interval. Thinning is unaffected: it keeps each sample with probability 1/2 and doubles its
 * weight, whatever that weight is. Weights saturate at {@link Integer#MAX_VALUE}, which only a table thinned 2^11-fold
 * holding samples taken at the ceiling's largest multiplier (2^20) reaches.
 *
 * <p><b>Epochs.</b> The agent calls {@link #advanceEpoch()} after each {@link #snapshot}. Dead samples are drained
 * from the reference queue at each snapshot and, a few at a time, on each record.
 */
public final class AllocationTracker {
    private volatile Throwable firstFailure;
    /** Dead samples taken off the queue by each record, so the queue does not wait for the next snapshot. */
    private static final int DRAIN_PER_RECORD = 16;
    /** Lookups of a path retired under the recorder's feet before the sample is given up. */
    private static final int ADD_ATTEMPTS = 3;
    /** Distinct frame strings cached per allowed path: outer frames are shared, so twice is plenty. */
    private static final int CACHED_FRAMES_PER_PATH = 2;

    private final ToLongFunction<Object> sizeFunction;
    private final StackCapture stacks;
    private final FrameFormatter formatter;
    private final PathTable table;
    private final SampleBudget budget;
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** Held by snapshots, thinning and clear; taken by a record only when the table is full. */
    private final ReentrantLock maintenance = new ReentrantLock();

    private final LongAdder failures = new LongAdder();
    private final AtomicInteger epoch = new AtomicInteger();
    private final IntSupplier epochSource = epoch::get;
    /** Created with the tracker, not at first use: see {@link #prepare()}. */
    private final PathTable.PathVisitor thinning;
    /** While true, samples are dropped unrecorded; see {@link #pauseWhile}. */
    private volatile BooleanSupplier paused = NEVER;

    private static final BooleanSupplier NEVER = () -> false;

    private volatile List<ClassCount> footprint = List.of();

    /**
     * @param sizeFunction shallow size of an object; the agent passes {@code Instrumentation::getObjectSize}
     * @param siteNames    names for the paths that have no stack of their own
     */
    public AllocationTracker(ToLongFunction<Object> sizeFunction, SiteNames siteNames, TrackingSettings settings) {
        this.sizeFunction = Objects.requireNonNull(sizeFunction, "sizeFunction");
        Objects.requireNonNull(siteNames, "siteNames");
        this.stacks = new StackCapture(settings.stackDepth(), settings.hookFramePrefixes());
        this.formatter = new FrameFormatter(settings.maxPaths() * CACHED_FRAMES_PER_PATH);
        this.table = new PathTable(
                settings.maxPaths(),
                new PathFactory(siteNames, formatter, new FrameClassifier(settings.libraryPrefixes())));
        this.budget = new SampleBudget(settings.capacity());
        this.thinning = (path, retireWhenEmpty) -> {
            path.thin(budget);
            return true;
        };
    }

    public AllocationTracker(ToLongFunction<Object> sizeFunction, SiteNames siteNames) {
        this(sizeFunction, siteNames, TrackingSettings.defaults());
    }

    /**
     * Drops samples unrecorded while {@code condition} holds: the agent's snapshot side says when the heap is too full
     * for a record's allocations, which would otherwise fail on the application's thread with the instrumentation, and
     * use up the JVM's stack-traced OutOfMemoryErrors (see {@code HeapHeadroom}). Called on every sample: keep it cheap.
     */
    public void pauseWhile(BooleanSupplier condition) {
        paused = Objects.requireNonNull(condition, "condition");
    }

    /** The first failure of {@link #record}, for one line in the log; null while there was none. */
    public Throwable firstFailure() {
        return firstFailure;
    }

    /** Records a sample taken at the base sampling interval: {@code record(object, siteId, 1)}. */
    public void record(Object object, int siteId) {
        record(object, siteId, 1);
    }

    /**
     * Records a sample taken at {@code weightMultiplier} times the base sampling interval. Never throws: a
     * multiplier below 1 is a caller's bug, counted in {@link #failures()} with the sample dropped.
     *
     * @param weightMultiplier the sampling interval in force divided by the base interval, at least 1
     */
    public void record(Object object, int siteId, int weightMultiplier) {
        record(object, siteId, weightMultiplier, -1);
    }

    /**
     * Records a sample whose shallow size the sampler already knows (the JVM's heap sampler reports it), which saves
     * measuring it again; a negative size is measured with the size function. Never throws, like
     * {@link #record(Object, int, int)}.
     */
    public void record(Object object, int siteId, int weightMultiplier, long shallowSize) {
        record(object, siteId, weightMultiplier, shallowSize, null);
    }

    /**
     * Records a sample whose stack was taken where it was allocated, by a sampler that hands samples over later and on
     * another thread (the JVM's heap sampler: its callback queues the stack, the agent's thread records it). Nothing
     * is walked and no frame skipped: the stack's first frame is the allocation. Never throws, like
     * {@link #record(Object, int, int)}.
     *
     * @param stack the allocation's stack, innermost first; null to walk the calling thread's stack
     */
    public void record(Object object, int siteId, int weightMultiplier, long shallowSize, SampledStack stack) {
        try {
            if (weightMultiplier < 1) {
                throw new IllegalArgumentException("weightMultiplier must be at least 1: " + weightMultiplier);
            }
            // The tracker's own allocations under maintenance (an instrumented Arrays.copyOf while measuring a path)
            // must not thin the table under the measuring loop's feet.
            if (object != null && !maintenance.isHeldByCurrentThread() && !paused.getAsBoolean()) {
                track(object, siteId, weightMultiplier, shallowSize, stack);
            }
        } catch (Throwable failure) { // the host's allocation must not fail because of the agent
            failures.increment();
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }
    }

    /**
     * Records a throwaway object and takes a snapshot, then forgets both: every class and call site the recording
     * path needs is loaded and linked here, on the caller's thread, before the hook sends it a sample. A real
     * sample may arrive from inside a class initializer or while the JDK is still setting up {@code java.lang.invoke}
     * (with {@code -javaagent}, tracking starts before {@code main}); loading or linking our code there could deadlock
     * or fail, and a call site whose linking failed keeps failing (seen: a {@code BootstrapMethodError} on every
     * sample of a run). The recording path is also written without lambdas created on it.
     */
    public void prepare() {
        Object probe = new Object();
        record(probe, 0, 1);
        snapshot(1, 1);
        Reference.reachabilityFence(probe);
        clear();
    }

    /**
     * Counts what the tracker holds in the host's heap as JDK objects ({@link TrackerFootprint}), for
     * {@link #ownFootprint()}: called right before a histogram, so that it names what that histogram saw.
     */
    public void markFootprint() {
        maintenance.lock();
        try {
            footprint = TrackerFootprint.of(table, formatter);
        } finally {
            maintenance.unlock();
        }
    }

    /** What the tracker held as of the last {@link #markFootprint()}, as histogram rows; empty before the first. */
    public List<ClassCount> ownFootprint() {
        return footprint;
    }

    /** Starts the next snapshot epoch: samples recorded from now on belong to it. */
    public void advanceEpoch() {
        epoch.incrementAndGet();
    }

    public int epoch() {
        return epoch.get();
    }

    /**
     * Drains the dead samples and measures every path: O(tracked samples), allocating only the returned records.
     * {@code liveSamples} counts the samples kept; the estimates weigh each by the sampled allocations it stands for
     * (more than one once the table has been thinned, or when it was taken at a stretched interval), times
     * {@code samplingInterval}.
     *
     * @param samplingInterval the base sampling interval: on average one allocation in this many reaches
     *                         {@link #record} with a multiplier of 1; estimates scale by it
     * @param topPaths         how many paths to return: those with samples that outlived a snapshot first, then the
     *                         others, each by largest estimated live bytes ({@code TopPaths} says why)
     */
    public AllocationStats snapshot(long samplingInterval, int topPaths) {
        if (samplingInterval < 1) {
            throw new IllegalArgumentException("samplingInterval must be at least 1: " + samplingInterval);
        }
        if (topPaths < 0) {
            throw new IllegalArgumentException("topPaths must not be negative: " + topPaths);
        }
        maintenance.lock();
        try {
            drain(Integer.MAX_VALUE);
            TopPaths top = new TopPaths(topPaths, samplingInterval);
            PathMeasure measure = new PathMeasure();
            table.sweep((path, retireWhenEmpty) -> {
                boolean kept = path.measure(measure, budget, retireWhenEmpty);
                top.offer(path, measure);
                return kept;
            });
            budget.relax();
            formatter.age();
            return new AllocationStats(
                    samplingInterval, budget.tracked(), budget.capacity(), budget.evictions(), top.ranked());
        } finally {
            maintenance.unlock();
        }
    }

    /** Forgets every sample, path and cached frame, and the evictions; the tracker stays usable. */
    public void clear() {
        maintenance.lock();
        try {
            table.clear(budget);
            drain(Integer.MAX_VALUE);
            formatter.clear();
            budget.reset();
        } finally {
            maintenance.unlock();
        }
    }

    /** Samples tracked now, live or not yet found dead. */
    public int trackedSamples() {
        return budget.tracked();
    }

    /** Samples dropped since start (or {@link #clear()}) because the table was full. */
    public long evictions() {
        return budget.evictions();
    }

    /** Records that failed (the size function threw, or worse) and were dropped. */
    public long failures() {
        return failures.sum();
    }

    /** One offered sample in this many is kept: 1 until the table first fills. */
    public int thinningRate() {
        return budget.rate();
    }

    /** Distinct frames whose text is cached for new paths (see {@code FrameFormatter}). */
    int cachedFrames() {
        return formatter.cachedFrames();
    }

    /** Paths in the table, "other stacks" paths included. */
    public int paths() {
        return table.size();
    }

    private void track(Object object, int siteId, int weightMultiplier, long knownSize, SampledStack givenStack) {
        int admitted = budget.admit();
        if (admitted == 0) {
            return;
        }
        long product = (long) admitted * weightMultiplier;
        int weight = product > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) product;
        long shallowSize = knownSize >= 0 ? knownSize : Math.max(0, sizeFunction.applyAsLong(object));
        drain(DRAIN_PER_RECORD);
        if (!budget.reserve()) {
            makeRoom();
            if (!budget.reserve()) { // still full: thinning is at its limit
                budget.evicted(1);
                return;
            }
        }
        boolean added = false;
        try {
            SampledStack stack = givenStack != null ? givenStack : stacks.capture();
            Class<?> type = object.getClass();
            PathKey key = PathKey.of(siteId, type.getName(), stack);
            long now = System.currentTimeMillis();
            for (int attempt = 0; attempt < ADD_ATTEMPTS && !added; attempt++) {
                added = table.pathFor(key, stack, type).add(object, queue, shallowSize, weight, now, epochSource);
            }
        } finally {
            if (!added) {
                budget.release(1);
            }
        }
    }

    /**
     * Drains the dead and, if the table is still crowded, thins it. Waits for a snapshot in progress rather than
     * dropping the sample: a sample dropped because of bad timing would bias every estimate low (a test with a
     * snapshot thread in a loop lost 7 of 8 samples that way). It happens about once per doubling of the retained set.
     */
    private void makeRoom() {
        maintenance.lock();
        try {
            drain(Integer.MAX_VALUE);
            if (budget.crowded() && budget.coarsen()) {
                table.sweep(thinning);
            }
        } finally {
            maintenance.unlock();
        }
    }

    private void drain(int limit) {
        for (int i = 0; i < limit; i++) {
            Reference<?> dead = queue.poll();
            if (dead == null) {
                return;
            }
            TrackedSample sample = (TrackedSample) dead;
            sample.path.remove(sample, budget);
        }
    }
}

package dev.leakwatch.agent.snapshot;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.Snapshot;
import java.lang.management.GarbageCollectorMXBean;
import java.math.BigDecimal;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Takes a snapshot (class histogram + JVM gauges) every interval on one daemon thread, {@value #THREAD_NAME}, saves
 * it through the {@link SnapshotWriter} and hands it to the listeners.
 *
 * <p>Two limits keep the host's cost bounded:
 * <ul>
 *   <li><b>Budget.</b> After each snapshot the next one waits {@code max(interval, tickTime / budget)}, so snapshots
 *       take at most {@code budget} of wall time. The tick time is everything the snapshot thread does for a
 *       snapshot (histogram, gauges, writing, listeners), not only the histogram: all of it is overhead.</li>
 *   <li><b>Maximum pause.</b> A live histogram forces a full GC. When one pauses longer than {@code maxPause}, the
 *       scheduler stops forcing GCs for the rest of the run: it takes all-objects histograms instead, labelled
 *       {@link HistogramKind#ALL_AFTER_GC} when a major collection ended since the previous snapshot (so little
 *       garbage is counted), else {@link HistogramKind#ALL}. Collections are watched through GC notifications,
 *       whose listener only counts; the work stays on the snapshot thread.</li>
 * </ul>
 *
 * <p>Nothing here throws into the host: each tick catches {@link Throwable}, logs a failure once per distinct
 * message, and the schedule goes on.
 */
public final class SnapshotScheduler {
    static final String THREAD_NAME = "leakwatch-snapshots";
    static final int PAUSES_OVER_LIMIT = 2;
    private static final Duration MAX_INITIAL_DELAY = Duration.ofSeconds(1);
    private static final int MAX_DISTINCT_FAILURES_REMEMBERED = 64;

    private final SnapshotSettings settings;
    private final SnapshotWriter writer;
    private final HistogramSampler histograms;
    private final GaugeSampler gauges;
    private final AgentLog log;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final MajorGcCounter majorGcs = new MajorGcCounter();
    private final Set<CompletableFuture<Snapshot>> requested = ConcurrentHashMap.newKeySet();

    // Guarded by lifecycle.
    private final Object lifecycle = new Object();
    private ScheduledThreadPoolExecutor executor;
    private final List<NotificationEmitter> watchedCollectors = new ArrayList<>();

    private volatile boolean stopped;
    private volatile Thread snapshotThread;

    // Written on the snapshot thread only.
    private final Set<String> failuresLogged = new HashSet<>();
    private long nextSequence;
    private long liveHistograms;
    private int pausesOverLimit;
    private volatile Supplier<Optional<AllocationStats>> allocationSource;
    private volatile Supplier<List<ClassCount>> agentOwnedSource;
    private volatile Runnable beforeHistogram;
    private long ticks;
    private long majorGcsSeen;
    private boolean stretchLogged;
    private long pid = Long.MIN_VALUE;
    private volatile boolean forcingGc = true;
    private volatile long startNanos;
    private volatile long totalTickNanos;
    private volatile long lastTickNanos;
    private volatile long effectiveIntervalNanos;
    private volatile long snapshotsTaken;
    private final HeapHeadroom headroom;
    private volatile boolean waitingForRoom;

    /** A scheduler that saves through a new {@link SnapshotWriter} into {@code directory}. Cheap: starts nothing. */
    public SnapshotScheduler(SnapshotSettings settings, OutputDirectory directory, AgentLog log) {
        this(settings, new SnapshotWriter(settings, directory, log), new HistogramSampler(), new GaugeSampler(), log);
    }

    SnapshotScheduler(SnapshotSettings settings, SnapshotWriter writer, HistogramSampler histograms,
            GaugeSampler gauges, AgentLog log) {
        this(settings, writer, histograms, gauges, log, new HeapHeadroom());
    }

    SnapshotScheduler(SnapshotSettings settings, SnapshotWriter writer, HistogramSampler histograms,
            GaugeSampler gauges, AgentLog log, HeapHeadroom headroom) {
        this.headroom = headroom;
        this.settings = settings;
        this.writer = writer;
        this.histograms = histograms;
        this.gauges = gauges;
        this.log = log;
        this.effectiveIntervalNanos = settings.interval().toNanos();
    }

    /**
     * Called on the snapshot thread with each snapshot, after it was saved. Meant to be registered before
     * {@link #start()}; a listener that throws is logged and the others still run.
     */
    public void addListener(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /**
     * Starts the thread and schedules the first snapshot after {@code min(interval, 1s)}. Does nothing when already
     * started or stopped.
     *
     * @return false when the scheduler could not start (logged)
     */
    public boolean start() {
        return start(() -> { });
    }

    /**
     * Like {@link #start()}, running {@code beforeFirstSnapshot} on the snapshot thread first (a failure there is
     * logged and the schedule goes on).
     */
    public boolean start(Runnable beforeFirstSnapshot) {
        synchronized (lifecycle) {
            if (executor != null || stopped) {
                return executor != null && !stopped;
            }
            try {
                ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(1, this::newThread);
                started.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                started.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
                started.setRemoveOnCancelPolicy(true);
                startNanos = System.nanoTime();
                Duration interval = settings.interval();
                Duration initialDelay = interval.compareTo(MAX_INITIAL_DELAY) < 0 ? interval : MAX_INITIAL_DELAY;
                started.execute(() -> {
                    try {
                        beforeFirstSnapshot.run();
                    } catch (Throwable e) {
                        reportOnce("start-up task failed", e);
                    }
                });
                started.schedule(this::tick, initialDelay.toNanos(), TimeUnit.NANOSECONDS);
                executor = started;
                return true;
            } catch (Throwable e) {
                log.error("snapshots disabled, their thread did not start", e);
                return false;
            }
        }
    }

    /**
     * Takes a snapshot now, on the snapshot thread, besides the schedule; it is saved and passed to the listeners
     * like any other. Fails when the scheduler is not running. Dependent stages attached without an executor run on
     * the snapshot thread: use the {@code *Async} variants for anything slow.
     */
    public CompletableFuture<Snapshot> takeSnapshotNow() {
        CompletableFuture<Snapshot> result = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (executor == null || stopped) {
                result.completeExceptionally(new IllegalStateException("the snapshot scheduler is not running"));
                return result;
            }
            requested.add(result);
            try {
                executor.execute(() -> takeRequested(result));
            } catch (RejectedExecutionException e) {
                requested.remove(result);
                result.completeExceptionally(e);
            }
        }
        return result;
    }

    /**
     * Stops for good: no snapshot starts after this, the GC listeners are removed, and the call waits at most
     * {@code timeout} for a snapshot in progress. Never throws.
     *
     * @return true when the snapshot thread has ended
     */
    public boolean stop(Duration timeout) {
        ScheduledThreadPoolExecutor stopping;
        synchronized (lifecycle) {
            stopped = true;
            stopping = executor;
            unwatchCollectors();
        }
        boolean ended = true;
        if (stopping != null) {
            stopping.shutdown();
            ended = awaitTermination(stopping, timeout);
            if (!ended) {
                stopping.shutdownNow();
            }
        }
        for (CompletableFuture<Snapshot> pending : requested) {
            if (requested.remove(pending)) {
                pending.completeExceptionally(new IllegalStateException("the snapshot scheduler stopped"));
            }
        }
        return ended;
    }

    /** Stops from the snapshot thread itself: no more ticks, nothing waited for. */
    private void stopRecording() {
        synchronized (lifecycle) {
            stopped = true;
            unwatchCollectors();
            if (executor != null) {
                executor.shutdown();
            }
        }
    }

    /**
     * True while snapshots wait for the heap to have room (see {@link HeapHeadroom}); allocation tracking records
     * nothing meanwhile, for the same reason.
     */
    public boolean isWaitingForRoom() {
        return waitingForRoom;
    }

    /** Whether the heap has room now for work the size of a snapshot; see {@link HeapHeadroom}. Any thread. */
    public boolean heapHasRoom() {
        return headroom.hasRoom();
    }

    public SnapshotWriter writer() {
        return writer;
    }

    public long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** The time between snapshots now: the interval, or longer when the budget stretched it. */
    public Duration effectiveInterval() {
        return Duration.ofNanos(effectiveIntervalNanos);
    }

    /** The share of wall time since {@link #start()} spent taking, saving and publishing snapshots. */
    public double overheadFraction() {
        long wall = System.nanoTime() - startNanos;
        return startNanos == 0 || wall <= 0 ? 0 : (double) totalTickNanos / wall;
    }

    public long totalSnapshotMillis() {
        return TimeUnit.NANOSECONDS.toMillis(totalTickNanos);
    }

    /** How long the last snapshot took the snapshot thread, saving and listeners included. */
    public long lastDurationMillis() {
        return TimeUnit.NANOSECONDS.toMillis(lastTickNanos);
    }

    /** False once a live histogram paused longer than {@code maxPause} and the scheduler stopped forcing GCs. */
    public boolean isForcingGc() {
        return forcingGc;
    }

    private Thread newThread(Runnable task) {
        // No inherited thread locals and no context class loader: the thread must not pin the host's objects or
        // class loaders for the rest of the run, which is exactly the kind of leak this agent looks for.
        Thread thread = new Thread(null, task, THREAD_NAME, 0, false);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        snapshotThread = thread;
        return thread;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        if (!writer.mayWrite()) {
            if (writer.isRefused()) {
                stopRecording(); // the directory said why in one line; nothing may be recorded anywhere
                return;
            }
            // Writing is paused (a full disk, say): a snapshot now would cost a forced GC and be lost.
            scheduleNext(0);
            return;
        }
        if (!headroom.check()) {
            waitForRoom();
            scheduleNext(0);
            return;
        }
        roomAgain();
        long started = System.nanoTime();
        long allocatedBefore = HeapHeadroom.allocatedByThisThread();
        try {
            takeAndPublish();
        } catch (Throwable e) {
            reportOnce("snapshot failed", e);
        }
        long allocatedAfter = HeapHeadroom.allocatedByThisThread();
        headroom.snapshotAllocated(allocatedBefore < 0 || allocatedAfter < 0 ? -1 : allocatedAfter - allocatedBefore);
        long spent = System.nanoTime() - started;
        account(spent);
        scheduleNext(spent);
    }

    /** The heap is too full for a snapshot: one line when the wait begins; the schedule goes on asking. */
    private void waitForRoom() {
        if (waitingForRoom) {
            return;
        }
        waitingForRoom = true;
        try {
            log.info("the heap is nearly full (" + (headroom.freeAfterCollection() >> 20) + " MB free after the latest"
                    + " collection, a snapshot needs about " + (headroom.roomNeeded() >> 20) + " MB): snapshots wait"
                    + " until a collection leaves room, so that an OutOfMemoryError is the application's own");
        } catch (Throwable e) {
            // not even the line fits: the wait is all that matters
        }
    }

    private void roomAgain() {
        if (waitingForRoom) {
            waitingForRoom = false;
            log.info("the heap has room again: snapshots go on");
        }
    }

    private void takeRequested(CompletableFuture<Snapshot> result) {
        if (!requested.remove(result)) {
            return; // stop() failed it already
        }
        if (stopped) {
            result.completeExceptionally(new IllegalStateException("the snapshot scheduler stopped"));
            return;
        }
        long started = System.nanoTime();
        try {
            result.complete(takeAndPublish());
        } catch (Throwable e) {
            reportOnce("snapshot failed", e);
            result.completeExceptionally(e);
        } finally {
            account(System.nanoTime() - started);
        }
    }

    private Snapshot takeAndPublish() throws Exception {
        checkGcWatch();
        HistogramKind kind = nextKind();
        long epochMillis = System.currentTimeMillis();
        long uptimeMillis = uptimeMillis();
        runBeforeHistogram();
        long started = System.nanoTime();
        ClassHistogram histogram = histograms.take(kind);
        long histogramNanos = System.nanoTime() - started;
        Optional<JvmGauges> jvmGauges = sampleGauges();
        long durationNanos = System.nanoTime() - started;
        Snapshot snapshot = new Snapshot(nextSequence++, epochMillis, uptimeMillis, pid(), jvmVersion(),
                TimeUnit.NANOSECONDS.toMillis(durationNanos), histogram, jvmGauges);
        snapshot = withAllocations(snapshot);
        snapshot = withAgentOwned(snapshot);
        snapshotsTaken++;
        if (kind == HistogramKind.LIVE) {
            judgePause(histogramNanos);
        }
        writer.write(snapshot);
        for (Consumer<Snapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (Throwable e) {
                reportOnce("snapshot listener " + listener.getClass().getName() + " failed", e);
            }
        }
        return snapshot;
    }

    /**
     * Adds allocation-site retention, read right after the histogram: a live histogram's full GC has just cleared
     * the weak references of dead samples, so the tracking table's live counts match the histogram's.
     */
    private Snapshot withAllocations(Snapshot snapshot) {
        Supplier<Optional<AllocationStats>> source = allocationSource;
        if (source == null) {
            return snapshot;
        }
        try {
            return source.get().map(snapshot::withAllocations).orElse(snapshot);
        } catch (Throwable e) {
            reportOnce("allocation statistics failed", e);
            return snapshot;
        }
    }

    /**
     * Names the agent's own objects in the histogram just taken. Read on this thread, where the listeners that grow
     * them run too, so they are what the histogram counted.
     */
    private Snapshot withAgentOwned(Snapshot snapshot) {
        Supplier<List<ClassCount>> source = agentOwnedSource;
        if (source == null) {
            return snapshot;
        }
        try {
            return snapshot.withAgentOwned(source.get());
        } catch (Throwable e) {
            reportOnce("the agent's own footprint failed", e);
            return snapshot;
        }
    }

    private void runBeforeHistogram() {
        Runnable hook = beforeHistogram;
        if (hook == null) {
            return;
        }
        try {
            hook.run();
        } catch (Throwable e) {
            reportOnce("preparing for the histogram failed", e);
        }
    }

    /**
     * Runs on the snapshot thread right before each histogram; null (the default) for nothing. What the agent names
     * as its own must be what the histogram counted, and its other threads may grow it between the histogram and the
     * naming; the hook lets them note where they stand first.
     */
    public void setBeforeHistogram(Runnable hook) {
        this.beforeHistogram = hook;
    }

    /**
     * What the agent holds in the heap for its in-process analysis, as histogram rows ({@code agentOwned} in each
     * snapshot); null (the default) for nothing.
     */
    public void setAgentOwnedSource(Supplier<List<ClassCount>> source) {
        this.agentOwnedSource = source;
    }

    /** Where each snapshot's allocation statistics come from; null (the default) for none. */
    public void setAllocationSource(Supplier<Optional<AllocationStats>> source) {
        this.allocationSource = source;
    }

    private HistogramKind nextKind() {
        if (forcingGc) {
            return HistogramKind.LIVE;
        }
        long majors = majorGcs.count();
        if (majors != majorGcsSeen) {
            majorGcsSeen = majors;
            return HistogramKind.ALL_AFTER_GC;
        }
        return HistogramKind.ALL;
    }

    private Optional<JvmGauges> sampleGauges() {
        try {
            return Optional.of(gauges.sample());
        } catch (Throwable e) {
            reportOnce("JVM gauges left out of a snapshot", e);
            return Optional.empty();
        }
    }

    /**
     * Gives up forced GCs after {@link #PAUSES_OVER_LIMIT} live histograms in a row paused longer than
     * {@code maxPause}, the first snapshot not counted: it pays one-time costs, and on a busy machine right after the
     * instrumentation retransformed classes it once took 1.6 s where the next ones took 70 ms. A single slow one
     * fell back for good, and the all-objects histograms that followed were noisy enough for false alarms.
     */
    private void judgePause(long histogramNanos) {
        if (liveHistograms++ == 0) {
            return;
        }
        pausesOverLimit = histogramNanos > settings.maxPause().toNanos() ? pausesOverLimit + 1 : 0;
        if (pausesOverLimit >= PAUSES_OVER_LIMIT) {
            stopForcingGc(histogramNanos);
        }
    }

    private void stopForcingGc(long histogramNanos) {
        forcingGc = false;
        log.info(PAUSES_OVER_LIMIT + " live class histograms in a row paused the JVM for longer than the maximum"
                + " pause of " + settings.maxPause().toMillis() + " ms (the last one "
                + TimeUnit.NANOSECONDS.toMillis(histogramNanos) + " ms): no more forced GCs,"
                + " taking all-objects histograms from now on (after a major GC where one ran)");
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            majorGcsSeen = majorGcs.count();
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(majorGcs, null, null);
                    watchedCollectors.add(emitter);
                }
            }
        }
    }

    private void unwatchCollectors() {
        for (NotificationEmitter emitter : watchedCollectors) {
            try {
                emitter.removeNotificationListener(majorGcs);
            } catch (Throwable e) {
                reportOnce("GC listener not removed", e);
            }
        }
        watchedCollectors.clear();
    }

    private void checkGcWatch() {
        Throwable failure = majorGcs.failure;
        if (failure != null) {
            reportOnce("GC notification not understood", failure);
        }
    }

    private void account(long tickNanos) {
        lastTickNanos = tickNanos;
        totalTickNanos += tickNanos;
    }

    private void scheduleNext(long tickNanos) {
        try {
            long interval = settings.interval().toNanos();
            // The first tick pays one-time costs (class loading, JIT, the MBean server) that later ticks do not: at
            // 1% it once stretched a 2 s interval to 58 s. It counts in the overhead, but does not set the pace.
            long pacing = ticks++ == 0 ? 0 : tickNanos;
            long withinBudget = (long) Math.min(Long.MAX_VALUE / 2.0, pacing / settings.budget());
            long delay = Math.max(interval, withinBudget);
            effectiveIntervalNanos = delay;
            if (delay > interval && !stretchLogged) {
                stretchLogged = true;
                log.info(String.format(Locale.ROOT, "a snapshot took %d ms, more than the budget of %s%% of the %d ms"
                        + " interval: snapshots are %d ms apart while they stay that slow",
                        TimeUnit.NANOSECONDS.toMillis(tickNanos), BigDecimal.valueOf(settings.budget() * 100)
                                .stripTrailingZeros().toPlainString(),
                        settings.interval().toMillis(), TimeUnit.NANOSECONDS.toMillis(delay)));
            }
            synchronized (lifecycle) {
                if (!stopped) {
                    executor.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
                }
            }
        } catch (Throwable e) {
            reportOnce("next snapshot not scheduled, snapshots stop", e);
        }
    }

    /** Logs the first failure with a given description; repeating failures would otherwise log every interval. */
    private void reportOnce(String whatFailed, Throwable cause) {
        try {
            String key = whatFailed + ": " + AgentLog.describe(cause);
            synchronized (failuresLogged) {
                if (failuresLogged.size() >= MAX_DISTINCT_FAILURES_REMEMBERED || !failuresLogged.add(key)) {
                    return;
                }
            }
            log.error(whatFailed, cause);
        } catch (Throwable e) {
            // Building the line failed too (a full heap): an error escaping here would end the schedule for good.
        }
    }

    private long pid() {
        if (pid == Long.MIN_VALUE) {
            try {
                pid = ProcessHandle.current().pid();
            } catch (Throwable e) {
                pid = -1;
            }
        }
        return pid;
    }

    private static String jvmVersion() {
        String version = System.getProperty("java.vm.version");
        return version != null ? version : Runtime.version().toString();
    }

    private static long uptimeMillis() {
        try {
            return ManagementFactory.getRuntimeMXBean().getUptime();
        } catch (Throwable e) {
            return -1;
        }
    }

    private boolean awaitTermination(ScheduledThreadPoolExecutor stopping, Duration timeout) {
        if (Thread.currentThread() == snapshotThread) {
            return false; // a listener stopping us from the snapshot thread cannot wait for itself
        }
        try {
            long nanos = timeout == null || timeout.isNegative() ? 0 : timeout.toNanos();
            return stopping.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Counts major collections as GC notifications report them. It runs on the JDK's notification thread, so it
     * only counts; a failure is kept for the snapshot thread to log.
     */
    static final class MajorGcCounter implements NotificationListener {
        private final AtomicLong majors = new AtomicLong();
        volatile Throwable failure;

        @Override
        public void handleNotification(Notification notification, Object handback) {
            try {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                if (isMajor(info.getGcName(), info.getGcAction())) {
                    majors.incrementAndGet();
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        long count() {
            return majors.get();
        }

        /**
         * A collection after which the heap holds little garbage: "end of major GC" (Serial, Parallel, a G1 full
         * GC), or a whole-heap concurrent cycle, which ZGC ("ZGC Cycles") and Shenandoah ("Shenandoah Cycles")
         * report as "end of GC cycle"; generational ZGC's "ZGC Minor Cycles" are young only and do not count.
         * G1's mixed collections report "end of minor GC" and do not count either: kept simple on purpose.
         */
        static boolean isMajor(String gcName, String gcAction) {
            return gcAction.contains("major") || gcAction.equals("end of GC cycle") && !gcName.contains("Minor");
        }
    }
}

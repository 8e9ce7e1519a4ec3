package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Takes a snapshot every interval on one daemon thread, {@value #THREAD_NAME}, saves it through the
 * {@link SnapshotWriter} and hands it to the listeners.
 *
 * <p>This class runs the thread and orders the work of each tick; the decisions are taken elsewhere:
 * <ul>
 *   <li>{@link SnapshotGate}: whether a tick takes a snapshot at all, or the schedule stops.</li>
 *   <li>{@link BudgetPacer}: when the next tick is due, so that ticks take at most the budget of wall time, and the
 *       overhead reported.</li>
 *   <li>{@link HistogramPolicy}: live or all-objects histograms, so that forced GCs pause at most
 *       {@code maxPause}.</li>
 *   <li>{@link SnapshotAssembler}: the snapshot's parts, in order.</li>
 *   <li>{@link DistinctFailureLog}: one line per distinct failure.</li>
 * </ul>
 *
 * <p>Nothing here throws into the host: each tick catches {@link Throwable}, logs a failure once per distinct
 * message, and the schedule goes on.
 */
public final class SnapshotScheduler {
    static final String THREAD_NAME = "leakwatch-snapshots";
    private static final Duration MAX_INITIAL_DELAY = Duration.ofSeconds(1);
    /** How often the snapshot thread tries again to schedule the next tick when the heap had no room for it. */
    private static final long FULL_HEAP_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SnapshotSettings settings;
    private final SnapshotWriter writer;
    private final AgentLog log;
    private final HeapHeadroom headroom;
    private final SnapshotGate gate;
    private final DistinctFailureLog failures;
    private final BudgetPacer pacer;
    private final HistogramPolicy policy;
    private final SnapshotAssembler assembler;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Set<CompletableFuture<Snapshot>> requested = ConcurrentHashMap.newKeySet();

    // Guarded by lifecycle.
    private final Object lifecycle = new Object();
    private ScheduledThreadPoolExecutor executor;

    private volatile boolean stopped;
    /** Created once: rescheduling while the heap is nearly full allocates no more than it must. */
    private final Runnable tickTask = this::tick;

    private volatile Thread snapshotThread;

    // Written on the snapshot thread only.
    private volatile long snapshotsTaken;

    /** A scheduler that saves through a new {@link SnapshotWriter} into {@code directory}. Cheap: starts nothing. */
    public SnapshotScheduler(SnapshotSettings settings, OutputDirectory directory, AgentLog log) {
        this(settings, new SnapshotWriter(settings, directory, log), new HistogramSampler(), new GaugeSampler(), log);
    }

    SnapshotScheduler(
            SnapshotSettings settings,
            SnapshotWriter writer,
            HistogramSampler histograms,
            GaugeSampler gauges,
            AgentLog log) {
        this(settings, writer, histograms, gauges, log, new HeapHeadroom());
    }

    SnapshotScheduler(
            SnapshotSettings settings,
            SnapshotWriter writer,
            HistogramSampler histograms,
            GaugeSampler gauges,
            AgentLog log,
            HeapHeadroom headroom) {
        this.settings = settings;
        this.writer = writer;
        this.log = log;
        this.headroom = headroom;
        this.gate = new SnapshotGate(writer, headroom, log);
        this.failures = new DistinctFailureLog(log);
        this.pacer = new BudgetPacer(settings.interval(), settings.budget(), System::nanoTime);
        this.policy =
                new HistogramPolicy(settings.maxPause(), ManagementFactory::getGarbageCollectorMXBeans, log, failures);
        this.assembler = new SnapshotAssembler(histograms, gauges, failures, System::nanoTime);
    }

    /**
     * Called on the snapshot thread with each snapshot, after it was saved. Meant to be registered before
     * {@link #start()}; a listener that throws is logged and the others still run.
     */
    public void addListener(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /**
     * Runs on the snapshot thread right before each histogram; null (the default) for nothing. What the agent names
     * as its own must be what the histogram counted, and its other threads may grow it between the histogram and the
     * naming; the hook lets them note where they stand first.
     */
    public void setBeforeHistogram(Runnable hook) {
        assembler.setBeforeHistogram(hook);
    }

    /**
     * What the agent holds in the heap for its in-process analysis, as histogram rows ({@code agentOwned} in each
     * snapshot); null (the default) for nothing.
     */
    public void setAgentOwnedSource(Supplier<List<ClassCount>> source) {
        assembler.setAgentOwnedSource(source);
    }

    /** Where each snapshot's allocation statistics come from; null (the default) for none. */
    public void setAllocationSource(Supplier<Optional<AllocationStats>> source) {
        assembler.setAllocationSource(source);
    }

    /**
     * Starts the thread and schedules the first snapshot after {@code min(interval, 1s)}. Does nothing when already
     * started or stopped.
     *
     * @return false when the scheduler could not start (logged)
     */
    public boolean start() {
        return start(() -> {});
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
                pacer.start();
                Duration interval = settings.interval();
                Duration initialDelay = interval.compareTo(MAX_INITIAL_DELAY) < 0 ? interval : MAX_INITIAL_DELAY;
                started.execute(() -> {
                    try {
                        beforeFirstSnapshot.run();
                    } catch (Throwable e) {
                        failures.reportOnce("start-up task failed", e);
                    }
                });
                started.schedule(tickTask, initialDelay.toNanos(), TimeUnit.NANOSECONDS);
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
            policy.close();
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

    /**
     * True while snapshots wait for the heap to have room (see {@link HeapHeadroom}); allocation tracking records
     * nothing meanwhile, for the same reason.
     */
    public boolean isWaitingForRoom() {
        return gate.isWaitingForRoom();
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
        return pacer.effectiveInterval();
    }

    /** The share of wall time since {@link #start()} spent taking, saving and publishing snapshots. */
    public double overheadFraction() {
        return pacer.overheadFraction();
    }

    public long totalSnapshotMillis() {
        return pacer.totalMillis();
    }

    /** How long the last snapshot took the snapshot thread, saving and listeners included. */
    public long lastDurationMillis() {
        return pacer.lastMillis();
    }

    /** False once a live histogram paused longer than {@code maxPause} and the scheduler stopped forcing GCs. */
    public boolean isForcingGc() {
        return policy.isForcingGc();
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
        switch (gate.check()) {
            case STOP -> stopRecording();
            case SKIP -> scheduleNext(0);
            case TAKE -> takeScheduled();
        }
    }

    private void takeScheduled() {
        long started = pacer.now();
        long allocatedBefore = HeapHeadroom.allocatedByThisThread();
        try {
            takeAndPublish();
        } catch (Throwable e) {
            failures.reportOnce("snapshot failed", e);
        }
        long allocatedAfter = HeapHeadroom.allocatedByThisThread();
        headroom.snapshotAllocated(allocatedBefore < 0 || allocatedAfter < 0 ? -1 : allocatedAfter - allocatedBefore);
        long spent = pacer.now() - started;
        pacer.account(spent);
        scheduleNext(spent);
    }

    private void takeRequested(CompletableFuture<Snapshot> result) {
        if (!requested.remove(result)) {
            return; // stop() failed it already
        }
        if (stopped) {
            result.completeExceptionally(new IllegalStateException("the snapshot scheduler stopped"));
            return;
        }
        long started = pacer.now();
        try {
            result.complete(takeAndPublish());
        } catch (Throwable e) {
            failures.reportOnce("snapshot failed", e);
            result.completeExceptionally(e);
        } finally {
            pacer.account(pacer.now() - started);
        }
    }

    private Snapshot takeAndPublish() throws Exception {
        HistogramKind kind = policy.nextKind();
        SnapshotAssembler.Assembled assembled = assembler.take(kind);
        Snapshot snapshot = assembled.snapshot();
        snapshotsTaken++;
        policy.judge(kind, assembled.histogramNanos());
        writer.write(snapshot);
        for (Consumer<Snapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (Throwable e) {
                failures.reportOnce("snapshot listener " + listener.getClass().getName() + " failed", e);
            }
        }
        return snapshot;
    }

    private void scheduleNext(long tickNanos) {
        long delayNanos;
        try {
            BudgetPacer.Pace pace = pacer.next(tickNanos);
            pace.firstStretch().ifPresent(log::info);
            delayNanos = pace.delayNanos();
        } catch (OutOfMemoryError e) {
            delayNanos = FULL_HEAP_RETRY_NANOS;
        } catch (Throwable e) {
            failures.reportOnce("next snapshot not scheduled, snapshots stop", e);
            return;
        }
        long fullSince = 0;
        while (!stopped) {
            try {
                synchronized (lifecycle) {
                    if (!stopped) {
                        executor.schedule(tickTask, delayNanos, TimeUnit.NANOSECONDS);
                    }
                }
                break;
            } catch (OutOfMemoryError e) {
                // The application took the last of the heap while we waited for room (SnapshotGate): wait on without
                // allocating, and say nothing now, when a line of ours would land inside the application's own error.
                if (fullSince == 0) {
                    fullSince = System.nanoTime();
                }
                LockSupport.parkNanos(FULL_HEAP_RETRY_NANOS);
                delayNanos = 0;
            } catch (Throwable e) {
                failures.reportOnce("next snapshot not scheduled, snapshots stop", e);
                return;
            }
        }
        if (fullSince != 0 && !stopped) {
            try {
                log.info("the heap was too full to schedule the next snapshot for "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - fullSince) + " s; snapshots go on");
            } catch (Throwable e) {
                // the line is all that is lost
            }
        }
    }

    /** Stops from the snapshot thread itself: no more ticks, nothing waited for. */
    private void stopRecording() {
        synchronized (lifecycle) {
            stopped = true;
            policy.close();
            if (executor != null) {
                executor.shutdown();
            }
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
}

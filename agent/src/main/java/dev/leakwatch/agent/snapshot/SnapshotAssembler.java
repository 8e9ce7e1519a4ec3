package dev.leakwatch.agent.snapshot;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.Snapshot;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Puts one snapshot together, in this order: the before-histogram hook, the class histogram, the JVM gauges, the
 * allocation statistics, the agent's own objects. Only the histogram is essential: a failure of any other part is
 * logged once and the snapshot goes on without that part.
 *
 * <p>The sources are set from any thread; {@link #take} runs on the snapshot thread only.
 */
final class SnapshotAssembler {
    private final HistogramSampler histograms;
    private final GaugeSampler gauges;
    private final DistinctFailureLog failures;
    private final LongSupplier nanoTime;

    private volatile Runnable beforeHistogram;
    private volatile Supplier<Optional<AllocationStats>> allocationSource;
    private volatile Supplier<List<ClassCount>> agentOwnedSource;

    // Snapshot thread only.
    private long nextSequence;
    private long pid = Long.MIN_VALUE;

    /** @param nanoTime the clock the histogram and the snapshot are timed with, System::nanoTime outside tests */
    SnapshotAssembler(
            HistogramSampler histograms, GaugeSampler gauges, DistinctFailureLog failures, LongSupplier nanoTime) {
        this.histograms = histograms;
        this.gauges = gauges;
        this.failures = failures;
        this.nanoTime = nanoTime;
    }

    /** A snapshot, and how long its histogram took (the pause, for a live one). */
    record Assembled(Snapshot snapshot, long histogramNanos) {}

    /** @throws Exception when no histogram could be taken; no sequence number is used up then */
    Assembled take(HistogramKind kind) throws Exception {
        long epochMillis = System.currentTimeMillis();
        long uptimeMillis = uptimeMillis();
        runBeforeHistogram();
        long started = nanoTime.getAsLong();
        ClassHistogram histogram = histograms.take(kind);
        long histogramNanos = nanoTime.getAsLong() - started;
        Optional<JvmGauges> jvmGauges = sampleGauges();
        long durationNanos = nanoTime.getAsLong() - started;
        Snapshot snapshot = new Snapshot(
                nextSequence++,
                epochMillis,
                uptimeMillis,
                pid(),
                jvmVersion(),
                TimeUnit.NANOSECONDS.toMillis(durationNanos),
                histogram,
                jvmGauges);
        snapshot = withAllocations(snapshot);
        snapshot = withAgentOwned(snapshot);
        return new Assembled(snapshot, histogramNanos);
    }

    /**
     * Runs right before each histogram; null (the default) for nothing. What the agent names as its own must be what
     * the histogram counted, and its other threads may grow it between the histogram and the naming; the hook lets
     * them note where they stand first ({@code SnapshotAssemblerTest.thePartsAreReadInOrder}).
     */
    void setBeforeHistogram(Runnable hook) {
        this.beforeHistogram = hook;
    }

    /** Where each snapshot's allocation statistics come from; null (the default) for none. */
    void setAllocationSource(Supplier<Optional<AllocationStats>> source) {
        this.allocationSource = source;
    }

    /** What the agent holds in the heap, as histogram rows ({@code agentOwned}); null (the default) for nothing. */
    void setAgentOwnedSource(Supplier<List<ClassCount>> source) {
        this.agentOwnedSource = source;
    }

    private void runBeforeHistogram() {
        Runnable hook = beforeHistogram;
        if (hook == null) {
            return;
        }
        try {
            hook.run();
        } catch (Throwable e) {
            failures.reportOnce("preparing for the histogram failed", e);
        }
    }

    private Optional<JvmGauges> sampleGauges() {
        try {
            return Optional.of(gauges.sample());
        } catch (Throwable e) {
            failures.reportOnce("JVM gauges left out of a snapshot", e);
            return Optional.empty();
        }
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
            failures.reportOnce("allocation statistics failed", e);
            return snapshot;
        }
    }

    /**
     * Names the agent's own objects in the histogram just taken. Read on the snapshot thread, where the listeners
     * that grow them run too, so they are what the histogram counted.
     */
    private Snapshot withAgentOwned(Snapshot snapshot) {
        Supplier<List<ClassCount>> source = agentOwnedSource;
        if (source == null) {
            return snapshot;
        }
        try {
            return snapshot.withAgentOwned(source.get());
        } catch (Throwable e) {
            failures.reportOnce("the agent's own footprint failed", e);
            return snapshot;
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
}

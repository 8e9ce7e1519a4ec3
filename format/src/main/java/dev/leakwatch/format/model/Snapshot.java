package dev.leakwatch.format.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One point in time of one JVM: a class histogram and, when the agent took it, the JVM gauges.
 *
 * @param sequence       0, 1, 2, ... within one recording session (one JVM run)
 * @param epochMillis    wall-clock time the snapshot was taken
 * @param uptimeMillis   JVM uptime at that time, -1 when unknown (a jcmd file)
 * @param pid            the JVM's process id, -1 when unknown
 * @param jvmVersion     {@code java.vm.version}-like string, empty when unknown
 * @param durationMillis how long taking the snapshot took (for a live histogram: mostly the forced full GC)
 * @param gauges         JVM gauges, absent for snapshots read from plain histograms
 * @param allocations    allocation-site retention, present when the agent tracks allocations (format version 2)
 * @param agentOwned     objects in the histogram that the agent itself holds for its in-process analysis (format
 *                       version 5), which the analysis subtracts: they grow as the agent learns new classes and
 *                       allocation paths, and are not the application's
 */
public record Snapshot(
        long sequence,
        long epochMillis,
        long uptimeMillis,
        long pid,
        String jvmVersion,
        long durationMillis,
        ClassHistogram histogram,
        Optional<JvmGauges> gauges,
        Optional<AllocationStats> allocations,
        List<ClassCount> agentOwned) {

    public Snapshot {
        Objects.requireNonNull(jvmVersion, "jvmVersion");
        Objects.requireNonNull(histogram, "histogram");
        Objects.requireNonNull(gauges, "gauges");
        Objects.requireNonNull(allocations, "allocations");
        agentOwned = List.copyOf(agentOwned);
    }

    /** A snapshot that names none of its objects as the agent's own. */
    public Snapshot(
            long sequence,
            long epochMillis,
            long uptimeMillis,
            long pid,
            String jvmVersion,
            long durationMillis,
            ClassHistogram histogram,
            Optional<JvmGauges> gauges,
            Optional<AllocationStats> allocations) {
        this(
                sequence,
                epochMillis,
                uptimeMillis,
                pid,
                jvmVersion,
                durationMillis,
                histogram,
                gauges,
                allocations,
                List.of());
    }

    /** A snapshot without allocation tracking. */
    public Snapshot(
            long sequence,
            long epochMillis,
            long uptimeMillis,
            long pid,
            String jvmVersion,
            long durationMillis,
            ClassHistogram histogram,
            Optional<JvmGauges> gauges) {
        this(
                sequence,
                epochMillis,
                uptimeMillis,
                pid,
                jvmVersion,
                durationMillis,
                histogram,
                gauges,
                Optional.empty(),
                List.of());
    }

    public Snapshot withAllocations(AllocationStats stats) {
        return new Snapshot(
                sequence,
                epochMillis,
                uptimeMillis,
                pid,
                jvmVersion,
                durationMillis,
                histogram,
                gauges,
                Optional.of(stats),
                agentOwned);
    }

    public Snapshot withAgentOwned(List<ClassCount> owned) {
        return new Snapshot(
                sequence,
                epochMillis,
                uptimeMillis,
                pid,
                jvmVersion,
                durationMillis,
                histogram,
                gauges,
                allocations,
                owned);
    }
}

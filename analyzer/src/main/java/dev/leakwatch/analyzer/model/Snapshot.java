package dev.leakwatch.analyzer.model;

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
        Optional<AllocationStats> allocations) {

    public Snapshot {
        Objects.requireNonNull(jvmVersion, "jvmVersion");
        Objects.requireNonNull(histogram, "histogram");
        Objects.requireNonNull(gauges, "gauges");
        Objects.requireNonNull(allocations, "allocations");
    }

    /** A snapshot without allocation tracking. */
    public Snapshot(long sequence, long epochMillis, long uptimeMillis, long pid, String jvmVersion,
            long durationMillis, ClassHistogram histogram, Optional<JvmGauges> gauges) {
        this(sequence, epochMillis, uptimeMillis, pid, jvmVersion, durationMillis, histogram, gauges, Optional.empty());
    }

    public Snapshot withAllocations(AllocationStats stats) {
        return new Snapshot(sequence, epochMillis, uptimeMillis, pid, jvmVersion, durationMillis, histogram, gauges,
                Optional.of(stats));
    }
}

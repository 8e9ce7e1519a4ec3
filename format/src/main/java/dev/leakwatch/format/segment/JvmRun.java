package dev.leakwatch.format.segment;

import dev.leakwatch.format.model.Snapshot;
import java.time.Instant;

/**
 * The snapshots of one JVM run: a pid plus the JVM's start time (the snapshot time minus the uptime), because
 * containers hand the same pid to every start of their JVM. Each run keeps its snapshots in a {@link SnapshotWindow}
 * and drops a sequence number it has seen.
 */
final class JvmRun {
    // Snapshot time minus uptime estimates the JVM start; wall-clock corrections and the time between reading the two
    // clocks move it by well under this over a run, while two runs of the same pid start further apart than this.
    private static final long SAME_RUN_START_TOLERANCE_MILLIS = 30_000;
    private static final long UNKNOWN_START = Long.MIN_VALUE;

    private final long pid;
    private final SnapshotWindow window;
    private final SequenceSet sequences = new SequenceSet();
    private long startEstimate;
    private long firstEpochMillis = Long.MAX_VALUE;
    private long lastEpochMillis = Long.MIN_VALUE;

    JvmRun(long pid, long startEstimate, SnapshotWindow window) {
        this.pid = pid;
        this.startEstimate = startEstimate;
        this.window = window;
    }

    /** Whether a snapshot of this pid and start estimate is of this run; an unknown start matches only itself. */
    boolean matches(long otherPid, long otherStart) {
        if (otherPid != pid) {
            return false;
        }
        if (otherStart == UNKNOWN_START || startEstimate == UNKNOWN_START) {
            return otherStart == startEstimate;
        }
        // Compared with the latest record, so a slow drift of the wall clock over a long run does not add up.
        return Math.abs(otherStart - startEstimate) <= SAME_RUN_START_TOLERANCE_MILLIS;
    }

    /** False, adding nothing, for a sequence number seen before in this run. */
    boolean add(Snapshot snapshot, long start) {
        if (!sequences.add(snapshot.sequence())) {
            return false;
        }
        window.add(snapshot);
        startEstimate = start;
        firstEpochMillis = Math.min(firstEpochMillis, snapshot.epochMillis());
        lastEpochMillis = Math.max(lastEpochMillis, snapshot.epochMillis());
        return true;
    }

    long lastEpochMillis() {
        return lastEpochMillis;
    }

    SnapshotWindow window() {
        return window;
    }

    String describe() {
        long count = window.offered();
        return (pid >= 0 ? "pid " + pid : "unknown pid") + " (" + count + (count == 1 ? " snapshot, " : " snapshots, ")
                + Instant.ofEpochMilli(firstEpochMillis) + " to " + Instant.ofEpochMilli(lastEpochMillis) + ")";
    }

    /** The JVM's start: the snapshot's time minus its uptime; {@link #UNKNOWN_START} without an uptime. */
    static long startEstimate(Snapshot snapshot) {
        return snapshot.uptimeMillis() >= 0 ? snapshot.epochMillis() - snapshot.uptimeMillis() : UNKNOWN_START;
    }
}

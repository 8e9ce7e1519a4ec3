package dev.leakwatch.agent.snapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the snapshot side of the agent needs to know, already parsed and validated by the options code. The
 * constructor rejects nonsense with an {@link IllegalArgumentException} whose message is one line fit for the user.
 *
 * @param outputDir    where the segment files go; created when missing
 * @param interval     the wished-for time between snapshots; the budget may stretch it
 * @param budget       the fraction of wall time snapshots may take, in (0, 1]; {@link #DEFAULT_BUDGET} by default
 * @param maxPause     the longest forced-GC pause a live histogram may cause before the agent stops forcing GCs;
 *                     zero means "take one live histogram, then never force a GC again"
 * @param maxDiskBytes the most the segment files in {@code outputDir} may hold together
 * @param segmentBytes the size at which a new segment file is started
 */
public record SnapshotSettings(
        Path outputDir, Duration interval, double budget, Duration maxPause, long maxDiskBytes, long segmentBytes) {

    public static final double DEFAULT_BUDGET = 0.01;

    static final long MIN_SEGMENT_BYTES = 256L * 1024;
    static final long MAX_SEGMENT_BYTES = 16L * 1024 * 1024;
    // A cap is split into at least this many segments, so deleting the oldest one frees a small part of the cap.
    private static final long SEGMENTS_PER_CAP = 16;

    public SnapshotSettings {
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(maxPause, "maxPause");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("snapshot interval must be positive, got " + interval);
        }
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException(
                    "snapshot budget must be a fraction of wall time in (0, 1], got " + budget);
        }
        if (maxPause.isNegative()) {
            throw new IllegalArgumentException("maximum pause must not be negative, got " + maxPause);
        }
        if (maxDiskBytes <= 0) {
            throw new IllegalArgumentException("maximum disk usage must be positive, got " + maxDiskBytes + " bytes");
        }
        if (segmentBytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive, got " + segmentBytes + " bytes");
        }
    }

    /** Settings with {@link #defaultSegmentBytes(long)} segments. */
    public SnapshotSettings(Path outputDir, Duration interval, double budget, Duration maxPause, long maxDiskBytes) {
        this(outputDir, interval, budget, maxPause, maxDiskBytes, defaultSegmentBytes(maxDiskBytes));
    }

    /** A sixteenth of the disk cap, but at least 256 KiB and at most 16 MiB. */
    public static long defaultSegmentBytes(long maxDiskBytes) {
        return Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxDiskBytes / SEGMENTS_PER_CAP));
    }
}

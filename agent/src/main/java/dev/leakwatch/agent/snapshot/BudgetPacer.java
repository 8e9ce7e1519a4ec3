package dev.leakwatch.agent.snapshot;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps snapshots within their budget of wall time, and accounts the time they take.
 *
 * <p>After each tick the next one waits {@code max(interval, tickTime / budget)}, so ticks take at most
 * {@code budget} of wall time. The tick time is everything the snapshot thread does for a tick (histogram, gauges,
 * writing, listeners), not only the histogram: all of it is overhead, and all of it is reported as such
 * ({@link #overheadFraction()}).
 *
 * <p>The first tick pays one-time costs (class loading, JIT, the MBean server) that later ticks do not: it counts in
 * the overhead, but does not set the pace ({@code BudgetPacerTest.theFirstTickDoesNotSetThePace}).
 *
 * <p>Time comes from the clock it is given and from the tick times it is told, nothing else, so that its decisions
 * can be tested exactly. {@link #next} and {@link #account} on the snapshot thread; the readings from any thread.
 */
final class BudgetPacer {
    private final Duration interval;
    private final double budget;
    private final LongSupplier nanoTime;

    private volatile boolean started;
    private volatile long startNanos;
    private volatile long totalTickNanos;
    private volatile long lastTickNanos;
    private volatile long effectiveIntervalNanos;

    // Snapshot thread only.
    private long paced;
    private boolean stretchAnnounced;

    /** @param nanoTime a monotonic clock in nanoseconds, {@link System#nanoTime()} outside tests */
    BudgetPacer(Duration interval, double budget, LongSupplier nanoTime) {
        this.interval = interval;
        this.budget = budget;
        this.nanoTime = nanoTime;
        this.effectiveIntervalNanos = interval.toNanos();
    }

    /** When the next snapshot is due after a tick, and the line to log the first time the budget stretched it. */
    record Pace(long delayNanos, Optional<String> firstStretch) {}

    /** The clock ticks are timed with. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Wall time, for {@link #overheadFraction()}, is counted from here. */
    void start() {
        startNanos = now();
        started = true;
    }

    /** A tick, scheduled or requested, took the snapshot thread {@code tickNanos}: overhead. */
    void account(long tickNanos) {
        lastTickNanos = tickNanos;
        totalTickNanos += tickNanos;
    }

    /**
     * The delay until the next scheduled tick, after one that took {@code tickNanos} (0 for one that took no
     * snapshot). Each call counts as a tick; only the first one's time does not set the pace.
     */
    Pace next(long tickNanos) {
        long intervalNanos = interval.toNanos();
        long pacing = paced++ == 0 ? 0 : tickNanos;
        long withinBudget = (long) Math.min(Long.MAX_VALUE / 2.0, pacing / budget);
        long delay = Math.max(intervalNanos, withinBudget);
        effectiveIntervalNanos = delay;
        if (delay <= intervalNanos || stretchAnnounced) {
            return new Pace(delay, Optional.empty());
        }
        stretchAnnounced = true;
        return new Pace(
                delay,
                Optional.of(String.format(
                        Locale.ROOT,
                        "a snapshot took %d ms, more than the budget of"
                                + " %s%% of the %d ms interval: snapshots are %d ms apart while they stay that slow",
                        TimeUnit.NANOSECONDS.toMillis(tickNanos),
                        BigDecimal.valueOf(budget * 100).stripTrailingZeros().toPlainString(),
                        interval.toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(delay))));
    }

    /** The time between snapshots now: the interval, or longer when the budget stretched it. */
    Duration effectiveInterval() {
        return Duration.ofNanos(effectiveIntervalNanos);
    }

    /** The share of wall time since {@link #start()} that ticks took; 0 before it. */
    double overheadFraction() {
        if (!started) {
            return 0;
        }
        long wall = now() - startNanos;
        return wall <= 0 ? 0 : (double) totalTickNanos / wall;
    }

    long totalMillis() {
        return TimeUnit.NANOSECONDS.toMillis(totalTickNanos);
    }

    /** How long the last tick took. */
    long lastMillis() {
        return TimeUnit.NANOSECONDS.toMillis(lastTickNanos);
    }
}

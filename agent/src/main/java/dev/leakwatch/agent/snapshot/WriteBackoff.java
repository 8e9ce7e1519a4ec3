package dev.leakwatch.agent.snapshot;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When to try writing again after a write failed: soon at first, then less and less often, so that a full disk
 * costs a failed write now and then, not a forced GC and a failed write every interval. Not thread-safe; its owner
 * guards it.
 */
final class WriteBackoff {
    /** The first retry after a failure: a disk freed by hand is used again within seconds. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    /** Retries never wait longer than this, so a long outage still ends within minutes of space returning. */
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final LongSupplier nanoClock;
    private boolean paused;
    private long delayNanos;
    private long retryAtNanos;

    WriteBackoff(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    boolean isPaused() {
        return paused;
    }

    /** True while not paused, or once the retry time has come. */
    boolean mayTry() {
        return !paused || nanoClock.getAsLong() - retryAtNanos >= 0;
    }

    /** A write failed: pause, or wait twice as long as last time before the next try. */
    void failed() {
        delayNanos = paused ? Math.min(2 * delayNanos, LONGEST_RETRY.toNanos()) : FIRST_RETRY.toNanos();
        paused = true;
        retryAtNanos = nanoClock.getAsLong() + delayNanos;
    }

    void succeeded() {
        paused = false;
    }

    /** The wait before the next try; zero when not paused. */
    Duration currentDelay() {
        return paused ? Duration.ofNanos(delayNanos) : Duration.ZERO;
    }
}

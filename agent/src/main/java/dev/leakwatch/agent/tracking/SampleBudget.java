package dev.leakwatch.agent.tracking;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tracking table's cap and its thinning rate: {@link AllocationTracker} explains the policy. Lock-free for the
 * recorders: one counter for the tracked samples, one volatile rate (written only under the tracker's maintenance
 * lock).
 */
final class SampleBudget {
    /** Past one sample kept in a million offered, the table stops thinning and drops what does not fit. */
    static final int MAX_RATE = 1 << 20;

    private final int capacity;
    private final AtomicInteger tracked = new AtomicInteger();
    private final LongAdder evicted = new LongAdder();
    private volatile int rate = 1;

    SampleBudget(int capacity) {
        this.capacity = capacity;
    }

    /** The weight of a sample offered now, or 0 when thinning drops it (counted as an eviction). */
    int admit() {
        int current = rate;
        if (current == 1 || ThreadLocalRandom.current().nextInt(current) == 0) {
            return current;
        }
        evicted.increment();
        return 0;
    }

    /** Takes a slot for one more sample; false when the table is full. */
    boolean reserve() {
        if (tracked.incrementAndGet() <= capacity) {
            return true;
        }
        tracked.decrementAndGet();
        return false;
    }

    void release(int samples) {
        tracked.addAndGet(-samples);
    }

    void evicted(int samples) {
        evicted.add(samples);
    }

    /** Worth thinning: still at least three quarters full after the dead are drained. */
    boolean crowded() {
        return tracked.get() >= capacity - capacity / 4;
    }

    /** Halves the share of samples kept from now on; false when already at {@link #MAX_RATE}. */
    boolean coarsen() {
        int current = rate;
        if (current >= MAX_RATE) {
            return false;
        }
        rate = current * 2;
        return true;
    }

    /**
     * Doubles the share kept again once the table has emptied to a quarter, so a passing burst of retained objects
     * does not cost resolution for the rest of the run. Samples already kept keep their weights.
     */
    void relax() {
        int current = rate;
        if (current > 1 && tracked.get() < capacity / 4) {
            rate = current / 2;
        }
    }

    int capacity() {
        return capacity;
    }

    int tracked() {
        return tracked.get();
    }

    long evictions() {
        return evicted.sum();
    }

    int rate() {
        return rate;
    }

    /** Forgets the evictions and the thinning; the tracked count follows the samples released one by one. */
    void reset() {
        evicted.reset();
        rate = 1;
    }
}

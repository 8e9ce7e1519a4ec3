package dev.leakwatch.agent.tracking;

import java.lang.ref.ReferenceQueue;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * One allocation path (allocated type + stack) and its tracked samples, in the order they were recorded.
 *
 * <p>Each path is its own lock, so threads allocating on different paths never wait for each other. Keeping a path's
 * samples in recording order makes the snapshot's statistics one pass with no extra memory: the epoch is read under
 * the lock when a sample is added, so epochs never decrease along the array and distinct epochs are counted as
 * changes.
 *
 * <p>A path is retired once a snapshot finds it empty (or at {@code clear}); a retired path takes no samples, and the
 * recorder looks its key up again.
 */
final class AllocationPath {
    private static final int INITIAL_SLOTS = 4;
    /** Removed samples left in the array before it is compacted outside a snapshot. */
    private static final int COMPACT_AFTER = 32;

    /** Null for the "other stacks" paths. */
    final PathKey key;

    final int siteId;
    final String allocatedType;
    final List<String> frames;
    final int firstNonJdkFrame;
    final int firstApplicationFrame;

    private TrackedSample[] samples = new TrackedSample[INITIAL_SLOTS];
    private int size;
    private int removedInArray;
    private volatile boolean retired;

    AllocationPath(
            PathKey key,
            int siteId,
            String allocatedType,
            List<String> frames,
            int firstNonJdkFrame,
            int firstApplicationFrame) {
        this.key = key;
        this.siteId = siteId;
        this.allocatedType = allocatedType;
        this.frames = List.copyOf(frames);
        this.firstNonJdkFrame = firstNonJdkFrame;
        this.firstApplicationFrame = firstApplicationFrame;
    }

    /** Adds a sample of {@code referent}; false when the path is retired (the caller looks up the path again). */
    synchronized boolean add(
            Object referent,
            ReferenceQueue<Object> queue,
            long shallowSize,
            int weight,
            long allocatedMillis,
            IntSupplier epoch) {
        if (retired) {
            return false;
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] =
                new TrackedSample(referent, queue, this, shallowSize, allocatedMillis, epoch.getAsInt(), weight);
        return true;
    }

    /** A sample the reference queue returned: stops counting it, unless that already happened. */
    synchronized void remove(TrackedSample sample, SampleBudget budget) {
        if (sample.removed) {
            return;
        }
        sample.removed = true;
        budget.release(1);
        removedInArray++;
        if (removedInArray > COMPACT_AFTER && removedInArray > size / 2) {
            compact();
        }
    }

    /** Keeps each live sample with probability 1/2 and doubles the weight of those kept. */
    synchronized void thin(SampleBudget budget) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int kept = 0;
        int evicted = 0;
        int released = 0;
        for (int i = 0; i < size; i++) {
            TrackedSample sample = samples[i];
            if (sample.removed) {
                continue;
            }
            boolean dead = sample.refersTo(null);
            if (dead || random.nextBoolean()) {
                if (!dead) {
                    evicted++;
                }
                sample.removed = true;
                sample.clear(); // a cleared reference is not enqueued: the queue stays for the dead
                released++;
                continue;
            }
            sample.weight = sample.weight > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : sample.weight * 2;
            samples[kept++] = sample;
        }
        budget.release(released);
        budget.evicted(evicted);
        truncate(kept);
    }

    /**
     * Drops the dead samples and fills {@code measure} with the live ones; O(samples), allocation-free unless the
     * array shrinks.
     *
     * @param retireWhenEmpty whether an empty path retires
     * @return false when the path retired
     */
    synchronized boolean measure(PathMeasure measure, SampleBudget budget, boolean retireWhenEmpty) {
        measure.reset();
        int kept = 0;
        int released = 0;
        int lastEpoch = 0;
        for (int i = 0; i < size; i++) {
            TrackedSample sample = samples[i];
            if (sample.removed) {
                continue;
            }
            if (sample.refersTo(null)) { // cleared, not yet enqueued: the queue will find it removed
                sample.removed = true;
                released++;
                continue;
            }
            samples[kept++] = sample;
            measure.liveSamples++;
            measure.weightedCount += sample.weight;
            measure.weightedBytes = PathMeasure.saturatedAdd(
                    measure.weightedBytes, PathMeasure.saturatedMultiply(sample.shallowSize, sample.weight));
            if (measure.distinctEpochs == 0 || sample.epoch != lastEpoch) {
                measure.distinctEpochs++;
                lastEpoch = sample.epoch;
            }
            measure.oldestAllocationMillis = Math.min(measure.oldestAllocationMillis, sample.allocatedMillis);
        }
        budget.release(released);
        truncate(kept);
        if (kept == 0 && retireWhenEmpty) {
            retired = true;
            return false;
        }
        return true;
    }

    /** Stops counting every sample and takes no more. */
    synchronized void retire(SampleBudget budget) {
        retired = true;
        int released = 0;
        for (int i = 0; i < size; i++) {
            TrackedSample sample = samples[i];
            if (!sample.removed) {
                sample.removed = true;
                sample.clear();
                released++;
            }
        }
        budget.release(released);
        samples = new TrackedSample[0];
        size = 0;
        removedInArray = 0;
    }

    boolean retired() {
        return retired;
    }

    private void compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!samples[i].removed) {
                samples[kept++] = samples[i];
            }
        }
        truncate(kept);
    }

    /** Ends the array after the first {@code kept} samples, all live; shrinks it when mostly empty. */
    private void truncate(int kept) {
        Arrays.fill(samples, kept, size, null);
        size = kept;
        removedInArray = 0;
        if (samples.length > INITIAL_SLOTS && kept < samples.length / 4) {
            samples = Arrays.copyOf(samples, Math.max(INITIAL_SLOTS, kept * 2));
        }
    }
}

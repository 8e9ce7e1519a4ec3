package dev.leakwatch.agent.tracking;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One sampled object, held weakly: the tracker must never be what keeps it alive. About 64 bytes with compressed
 * oops, plus its slot in the path's array.
 *
 * <p>{@link #weight} and {@link #removed} are guarded by the path's lock.
 */
final class TrackedSample extends WeakReference<Object> {
    final AllocationPath path;
    final long shallowSize;
    final long allocatedMillis;
    /** The snapshot epoch it was allocated in; non-decreasing along a path's array (read under the path's lock). */
    final int epoch;
    /** How many sampled allocations it stands for: 1, times 2 each time the tracker thinned its samples. */
    int weight;
    /** No longer counted: found dead, evicted or cleared. */
    boolean removed;

    TrackedSample(
            Object referent,
            ReferenceQueue<Object> queue,
            AllocationPath path,
            long shallowSize,
            long allocatedMillis,
            int epoch,
            int weight) {
        super(referent, queue);
        this.path = path;
        this.shallowSize = shallowSize;
        this.allocatedMillis = allocatedMillis;
        this.epoch = epoch;
        this.weight = weight;
    }
}

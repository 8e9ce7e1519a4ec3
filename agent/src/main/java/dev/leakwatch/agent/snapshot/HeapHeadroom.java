package dev.leakwatch.agent.snapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Whether the heap has room for a snapshot: the free space the latest collection left must be at least what recent
 * snapshots allocated, twice over.
 *
 * <p>Why wait rather than try and catch: on a heap that is nearly full after a collection, an allocation of ours may
 * be the one that throws {@link OutOfMemoryError}. We would catch it, but the application would still pay: HotSpot
 * fills in a stack trace for only a few {@code OutOfMemoryError}s ({@code -XX:PreallocatedOutOfMemoryErrorCount},
 * 4), and once ours used them, the application's own error prints without the frame that says where it ran out
 * (seen in {@code FaultInjectionIT}, about one run in four with the JVM's heap sampler).
 *
 * <p>"Free after the latest collection" is the maximum heap minus what the heap pools held when a collection last
 * ended ({@link MemoryPoolMXBean#getCollectionUsage()}). With G1, ZGC and Shenandoah every collection refreshes it;
 * with Serial and Parallel a young collection leaves the old generation's figure as the last full collection left it,
 * so a wait can last until the next full collection. Live histograms force one at every snapshot.
 *
 * <p>Used by the snapshot thread only.
 */
final class HeapHeadroom {
    /** The least room a snapshot asks for: the first ones, before any was measured, and tiny ones. */
    static final long MIN_ROOM_BYTES = 4L << 20;
    /**
     * Room asked for per byte the largest recent snapshot allocated: what the next one allocates varies (a report
     * refresh runs in some, not others) and the application allocates meanwhile.
     */
    static final int ROOM_PER_SNAPSHOT_BYTE = 2;
    /** How many recent snapshots the need is the largest of. */
    private static final int RECENT = 8;

    private final LongSupplier freeAfterCollection;
    private final long[] recentAllocations = new long[RECENT];
    private int next;

    /** Measures this JVM's heap; the pools are looked up at the first measure, on the snapshot thread. */
    HeapHeadroom() {
        this(new PoolsAfterCollection());
    }

    /** @param freeAfterCollection bytes free after the latest collection; {@link Long#MAX_VALUE} when unknown */
    HeapHeadroom(LongSupplier freeAfterCollection) {
        this.freeAfterCollection = freeAfterCollection;
    }

    /** True when the heap had room for a snapshot after the latest collection, or when that cannot be told. */
    boolean hasRoom() {
        try {
            return freeAfterCollection.getAsLong() >= roomNeeded();
        } catch (OutOfMemoryError e) {
            return false; // reading the figures allocates a little: the heap has no room even for that
        } catch (Throwable e) {
            return true; // figures we cannot read must not stop the recording
        }
    }

    /** The room a snapshot asks for now. */
    long roomNeeded() {
        long largest = 0;
        for (long bytes : recentAllocations) {
            largest = Math.max(largest, bytes);
        }
        return Math.max(MIN_ROOM_BYTES, largest * ROOM_PER_SNAPSHOT_BYTE);
    }

    /** Bytes free after the latest collection, for the log; {@link Long#MAX_VALUE} when unknown. */
    long freeAfterCollection() {
        return freeAfterCollection.getAsLong();
    }

    /** What one snapshot allocated on the snapshot thread; negative (unknown) is ignored. */
    void snapshotAllocated(long bytes) {
        if (bytes < 0) {
            return;
        }
        recentAllocations[next] = bytes;
        next = (next + 1) % RECENT;
    }

    /** Bytes the calling thread has allocated so far; -1 where the JVM does not tell. Allocates nothing. */
    static long allocatedByThisThread() {
        try {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getCurrentThreadAllocatedBytes();
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The maximum heap minus what its pools held after their latest collection. */
    private static final class PoolsAfterCollection implements LongSupplier {
        private List<MemoryPoolMXBean> pools; // looked up at first use: the session is built in premain

        @Override
        public long getAsLong() {
            if (pools == null) {
                List<MemoryPoolMXBean> heapPools = new ArrayList<>();
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        heapPools.add(pool);
                    }
                }
                pools = heapPools;
            }
            long max = Runtime.getRuntime().maxMemory();
            if (pools.isEmpty() || max == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            long used = 0;
            for (int i = 0; i < pools.size(); i++) { // no iterator: as little allocation as can be
                MemoryUsage usage = pools.get(i).getCollectionUsage();
                if (usage != null) {
                    used += usage.getUsed();
                }
            }
            return max - used;
        }
    }
}

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
 * snapshots allocated, twice over, plus what the heap lost between recent checks (the application goes on filling it
 * while a snapshot runs, and since the collection those figures come from).
 *
 * <p>Why wait rather than try and catch: on a heap that is nearly full after a collection, an allocation of ours may
 * be the one that throws {@link OutOfMemoryError}. We would catch it, but the application would still pay: HotSpot
 * fills in a stack trace for only a few {@code OutOfMemoryError}s ({@code -XX:PreallocatedOutOfMemoryErrorCount},
 * 4), and once ours used them, the application's own error prints without the frame that says where it ran out
 * ({@code FaultInjectionIT}'s heap test fails without this wait, most often with the JVM's heap sampler).
 *
 * <p>"Free after the latest collection" is the maximum heap minus what the heap pools held when a collection last
 * ended ({@link MemoryPoolMXBean#getCollectionUsage()}). With G1, ZGC and Shenandoah every collection refreshes it;
 * with Serial and Parallel a young collection leaves the old generation's figure as the last full collection left it,
 * so a wait can last until the next full collection. Live histograms force one at every snapshot.
 *
 * <p>{@link #check()} on the snapshot thread; {@link #hasRoom()} from any.
 */
final class HeapHeadroom {
    /** The least room a snapshot asks for: the first ones, before any was measured, and tiny ones. */
    static final long MIN_ROOM_BYTES = 4L << 20;
    /**
     * Room asked for per byte the largest recent snapshot allocated: what the next one allocates varies (a report
     * refresh runs in some, not others) and the application allocates meanwhile.
     */
    static final int ROOM_PER_SNAPSHOT_BYTE = 2;
    /** How many recent snapshots (and checks) the need is the largest of. */
    private static final int RECENT = 8;

    private final LongSupplier freeAfterCollection;
    private final long[] recentAllocations = new long[RECENT];
    private int nextAllocation;
    private final long[] recentDrops = new long[RECENT];
    private int nextDrop;
    private long previousFree = -1;

    /** Measures this JVM's heap; the pools are looked up at the first measure, on the snapshot thread. */
    HeapHeadroom() {
        this(new PoolsAfterCollection());
    }

    /** @param freeAfterCollection bytes free after the latest collection; {@link Long#MAX_VALUE} when unknown */
    HeapHeadroom(LongSupplier freeAfterCollection) {
        this.freeAfterCollection = freeAfterCollection;
    }

    /**
     * Before a snapshot, on the snapshot thread: whether the heap has room for it, remembering how much room it lost
     * since the previous check.
     */
    synchronized boolean check() {
        try {
            long free = freeAfterCollection.getAsLong();
            if (free == Long.MAX_VALUE) {
                return true;
            }
            if (previousFree >= 0) {
                recentDrops[nextDrop] = Math.max(0, previousFree - free);
                nextDrop = (nextDrop + 1) % RECENT;
            }
            previousFree = free;
            return free >= roomNeeded();
        } catch (OutOfMemoryError e) {
            return false; // reading the figures allocates a little: the heap has no room even for that
        } catch (Throwable e) {
            return true; // figures we cannot read must not stop the recording
        }
    }

    /** Whether the heap has room for work the size of a snapshot now (the final report asks), or that cannot be told. */
    synchronized boolean hasRoom() {
        try {
            return freeAfterCollection.getAsLong() >= roomNeeded();
        } catch (OutOfMemoryError e) {
            return false;
        } catch (Throwable e) {
            return true;
        }
    }

    /** The room a snapshot asks for now. */
    synchronized long roomNeeded() {
        return Math.max(MIN_ROOM_BYTES, largest(recentAllocations) * ROOM_PER_SNAPSHOT_BYTE) + largest(recentDrops);
    }

    private static long largest(long[] values) {
        long largest = 0;
        for (long value : values) {
            largest = Math.max(largest, value);
        }
        return largest;
    }

    /** Bytes free after the latest collection, for the log; {@link Long#MAX_VALUE} when unknown. */
    synchronized long freeAfterCollection() {
        return freeAfterCollection.getAsLong();
    }

    /** What one snapshot allocated on the snapshot thread; negative (unknown) is ignored. */
    synchronized void snapshotAllocated(long bytes) {
        if (bytes < 0) {
            return;
        }
        recentAllocations[nextAllocation] = bytes;
        nextAllocation = (nextAllocation + 1) % RECENT;
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

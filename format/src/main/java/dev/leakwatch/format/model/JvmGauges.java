package dev.leakwatch.format.model;

import java.util.List;
import java.util.Optional;

/**
 * JVM-wide measurements taken with each histogram. Pools after GC give the live set without a forced GC; class
 * counts, threads and buffer pools carry the leaks a class histogram hides (class loaders, threads, direct memory).
 */
public record JvmGauges(
        long heapUsed,
        long heapCommitted,
        long heapMax,
        long nonHeapUsed,
        long loadedClasses,
        long totalLoadedClasses,
        long unloadedClasses,
        int liveThreads,
        List<MemoryPoolGauge> memoryPools,
        List<BufferPoolGauge> bufferPools,
        List<GcGauge> collectors) {

    public JvmGauges {
        memoryPools = List.copyOf(memoryPools);
        bufferPools = List.copyOf(bufferPools);
        collectors = List.copyOf(collectors);
    }

    /**
     * The heap's live set: the sum over heap pools of their usage after the last collection. Pools that have not
     * been collected yet (an old generation early in a run) count with their current usage; -1 when no heap pool
     * reports anything.
     */
    public long heapLiveAfterGc() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolGauge pool : memoryPools) {
            if (!pool.heap()) {
                continue;
            }
            long used = pool.usedAfterGc() >= 0 ? pool.usedAfterGc() : pool.usedNow();
            if (used >= 0) {
                sum += used;
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** Metaspace in use, or -1 where the JVM has no pool of that name. */
    public long metaspaceUsed() {
        return pool("Metaspace").map(MemoryPoolGauge::usedNow).orElse(-1L);
    }

    public Optional<MemoryPoolGauge> pool(String name) {
        return memoryPools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }

    public Optional<BufferPoolGauge> bufferPool(String name) {
        return bufferPools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }
}

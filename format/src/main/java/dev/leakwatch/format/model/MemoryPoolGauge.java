package dev.leakwatch.format.model;

/**
 * One memory pool. {@code usedAfterGc} is what the pool held right after its last collection
 * ({@code MemoryPoolMXBean.getCollectionUsage}), -1 where the pool is not collected (metaspace, code cache).
 * {@code max} is -1 where undefined.
 */
public record MemoryPoolGauge(String name, boolean heap, long usedNow, long usedAfterGc, long committed, long max) {}

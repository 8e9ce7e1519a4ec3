package dev.leakwatch.format.model;

/** A platform buffer pool ("direct" or "mapped"): how many buffers and how many bytes they hold. */
public record BufferPoolGauge(String name, long count, long usedBytes, long capacityBytes) {}

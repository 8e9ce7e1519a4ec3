package dev.leakwatch.agent.tracking;

/** What {@link AllocationPath#measure} found; one instance reused across the paths of a snapshot. */
final class PathMeasure {
    int liveSamples;
    /** Sum of the live samples' weights: the sampled allocations they stand for. */
    long weightedCount;
    /** Sum of the live samples' shallow sizes times their weights. */
    long weightedBytes;

    int distinctEpochs;
    long oldestAllocationMillis;

    void reset() {
        liveSamples = 0;
        weightedCount = 0;
        weightedBytes = 0;
        distinctEpochs = 0;
        oldestAllocationMillis = Long.MAX_VALUE;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** For non-negative factors. */
    static long saturatedMultiply(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}

package dev.leakwatch.agent.instrument;

/**
 * What the allocation instrumentation did so far.
 *
 * @param transformedClasses    classes whose transformation succeeded (loaded or retransformed; a class
 *                              retransformed twice counts twice)
 * @param failedClasses         transformations and matcher calls that failed; the class kept its original bytes
 * @param tooLargeClasses       classes left uninstrumented because a method would exceed 64 KB of code
 * @param retransformFailures   already-loaded classes the JVM refused to retransform (on install or reset)
 * @param hookInvisibleClasses  classes skipped because their class loader cannot see the bootstrap hook
 * @param instrumentedSites     allocation sites hooked
 * @param skippedSites          {@code new} sites left alone because their bytecode was not a provably safe pattern
 * @param registeredSites       distinct sites in the registry
 * @param registryOverflow      site registrations refused by the full registry
 */
public record InstrumentationStats(
        long transformedClasses,
        long failedClasses,
        long tooLargeClasses,
        long retransformFailures,
        long hookInvisibleClasses,
        long instrumentedSites,
        long skippedSites,
        int registeredSites,
        long registryOverflow) {

    /** Failures the agent survived: the number a healthy run keeps at zero. */
    public long errors() {
        return failedClasses + retransformFailures;
    }
}

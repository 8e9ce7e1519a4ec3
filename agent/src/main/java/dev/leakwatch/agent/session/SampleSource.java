package dev.leakwatch.agent.session;

import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.InstrumentationCounts;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where the tracked samples come from: the JVM's heap sampler ({@link JvmSamples}) or bytecode hooks at allocation
 * sites ({@link InstrumentedSamples}). Both feed one {@code AllocationTracker} through one {@code SampleRateCeiling};
 * this is what {@link AllocationSampling} needs of either besides that.
 */
interface SampleSource {
    AllocationSampler kind();

    /** What the instrumentation covers so far; null when nothing is instrumented. */
    InstrumentationCounts instrumentation();

    /** Called right before each histogram: notes what the sampler holds, for {@link #ownFootprint()}. */
    default void beforeHistogram() {}

    /**
     * Called right before each snapshot: hands the tracker every sample taken so far, so that samples land in the
     * epoch they were taken in.
     */
    default void beforeSnapshot() {}

    /** Samples the sampler dropped for lack of room before they reached the tracker: reported as evictions. */
    default long droppedSamples() {
        return 0;
    }

    /** Leaves samples waiting, or drops them, while {@code condition} holds; see {@code AllocationTracker#pauseWhile}. */
    default void pauseWhile(BooleanSupplier condition) {}

    /** What the sampler itself holds in the heap, as histogram rows ({@code agentOwned}); nothing by default. */
    default List<ClassCount> ownFootprint() {
        return List.of();
    }

    /** Errors the sampler itself caught (the tracker counts its own). */
    long failures();

    /** How it samples, for the log and the status: "JVM heap sampler" or "N classes instrumented (M sites)". */
    String describe();

    /** Stops delivering samples and undoes what starting changed; one line saying what was undone. */
    String stop();
}

package dev.leakwatch.agent.session;

import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.InstrumentationCounts;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Samples from the JVM's own heap sampler: nothing instrumented, nothing to restore. */
final class JvmSamples implements SampleSource {
    private final JvmHeapSampler sampler;

    JvmSamples(JvmHeapSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    public AllocationSampler kind() {
        return AllocationSampler.JVM;
    }

    @Override
    public InstrumentationCounts instrumentation() {
        return null;
    }

    @Override
    public void beforeHistogram() {
        // The sampler's thread resolves methods at any time, also between the histogram and the snapshot: a mark
        // taken after the histogram named 4 methods more than it counted (AgentFootprintIT, CI of 3a312a3).
        sampler.markMethodCache();
    }

    @Override
    public void beforeSnapshot() {
        sampler.flush();
        sampler.forgetUnusedMethods();
    }

    @Override
    public void pauseWhile(BooleanSupplier condition) {
        sampler.pauseWhile(condition);
    }

    @Override
    public List<ClassCount> ownFootprint() {
        return sampler.ownFootprint();
    }

    @Override
    public long droppedSamples() {
        return sampler.dropped();
    }

    @Override
    public long failures() {
        return sampler.failures(); // the tracker counts its own; these failed before reaching it
    }

    @Override
    public String describe() {
        return "JVM heap sampler (no class instrumented)";
    }

    @Override
    public String stop() {
        sampler.stop();
        return "JVM heap sampling stopped";
    }
}

package dev.leakwatch.agent.session;

import dev.leakwatch.agent.instrument.AllocationTransformer;
import dev.leakwatch.agent.instrument.ClassScope;
import dev.leakwatch.agent.instrument.InstrumentationStats;
import dev.leakwatch.agent.instrument.SiteRegistry;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.sampling.SampleRateCeiling;
import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import dev.leakwatch.bootstrap.AllocationHook;
import dev.leakwatch.bootstrap.AllocationRecorder;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.InstrumentationCounts;
import java.lang.instrument.Instrumentation;

/**
 * Samples from bytecode hooks at allocation sites: the site registry, the transformation and the hook, installed and
 * undone together.
 *
 * <p>Loaded only after {@code BootstrapJar.install} put the hook on the bootstrap class path (see
 * {@link AgentSession}): this class names {@link AllocationHook}, which must resolve to the bootstrap copy.
 */
final class InstrumentedSamples implements SampleSource {
    private final AllocationTransformer.Installation installation;

    private InstrumentedSamples(AllocationTransformer.Installation installation) {
        this.installation = installation;
    }

    /** The names the tracker gives paths with no stack of their own, from the registry the transformer fills. */
    static SiteNames names(SiteRegistry registry) {
        return new SiteNames() {
            @Override
            public String allocatedType(int siteId) {
                return registry.allocatedType(siteId);
            }

            @Override
            public String frame(int siteId) {
                return registry.frame(siteId);
            }
        };
    }

    /**
     * Installs the hook and instruments the classes in scope (loaded ones retransformed). The hook's samples go to
     * {@code tracker}, each weighed by the {@code ceiling}'s multiplier, except the agent's own threads' samples.
     */
    static InstrumentedSamples start(
            AgentOptions options,
            Instrumentation instrumentation,
            SiteRegistry registry,
            AllocationTracker tracker,
            SampleRateCeiling ceiling,
            AgentLog log) {
        AllocationRecorder recorder = (object, siteId) -> {
            if (!Thread.currentThread().getName().startsWith(AllocationSampling.AGENT_THREAD_PREFIX)) {
                tracker.record(object, siteId, ceiling.onSample());
            }
        };
        AllocationHook.install(recorder, options.sampling());
        try {
            return new InstrumentedSamples(new AllocationTransformer(
                            ClassScope.of(options.include(), options.exclude()),
                            registry,
                            line -> log.info("allocation instrumentation: " + line))
                    .install(instrumentation));
        } catch (RuntimeException | Error e) {
            AllocationHook.uninstall();
            throw e;
        }
    }

    /** Sets the hook's mean interval: what the rate ceiling stretches. */
    static void retune(long interval) {
        AllocationHook.retune(interval);
    }

    @Override
    public AllocationSampler kind() {
        return AllocationSampler.INSTRUMENTATION;
    }

    @Override
    public InstrumentationCounts instrumentation() {
        InstrumentationStats stats = installation.stats();
        return new InstrumentationCounts(stats.transformedClasses(), stats.instrumentedSites(), stats.failedClasses());
    }

    @Override
    public long failures() {
        return AllocationHook.failures();
    }

    @Override
    public String describe() {
        InstrumentationStats stats = installation.stats();
        // No "0 failed" when none did: the log line reads like trouble otherwise (AgentRobustnessIT looks for it).
        return stats.transformedClasses() + " classes instrumented (" + stats.instrumentedSites() + " sites"
                + (stats.failedClasses() == 0 ? ")" : ", " + stats.failedClasses() + " failed)");
    }

    @Override
    public String stop() {
        AllocationHook.uninstall();
        long instrumented = installation.stats().transformedClasses();
        return installation.reset()
                ? "allocation instrumentation removed, original bytecode of " + instrumented + " classes restored"
                : "allocation instrumentation could not be fully removed (see stderr)";
    }
}

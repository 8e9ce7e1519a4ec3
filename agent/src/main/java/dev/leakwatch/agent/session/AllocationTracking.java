package dev.leakwatch.agent.session;

import dev.leakwatch.agent.instrument.AllocationTransformer;
import dev.leakwatch.agent.instrument.ClassDefinitionCounter;
import dev.leakwatch.agent.instrument.ClassScope;
import dev.leakwatch.agent.instrument.InstrumentationStats;
import dev.leakwatch.agent.instrument.SiteRegistry;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.sampling.SampleRateCeiling;
import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import dev.leakwatch.agent.tracking.TrackingSettings;
import dev.leakwatch.analyzer.model.AllocationStats;
import dev.leakwatch.analyzer.model.InstrumentationCounts;
import dev.leakwatch.bootstrap.AllocationHook;
import dev.leakwatch.bootstrap.AllocationRecorder;
import java.lang.instrument.Instrumentation;

/**
 * Allocation-site tracking for one session: the site registry, the byte-buddy transformation, the sampling hook and
 * the table of sampled live objects, started and undone together.
 *
 * <p>Loaded only after {@code BootstrapJar.install} put the hook on the bootstrap class path (see
 * {@link AgentSession}): this class names {@link AllocationHook}, which must resolve to the bootstrap copy.
 */
final class AllocationTracking {
    /** Paths written per snapshot: enough for every suspect's top sites, bounded for the snapshot's size. */
    static final int PATHS_PER_SNAPSHOT = 200;
    /** Threads the agent starts: their allocations are the agent's, not the application's. */
    static final String AGENT_THREAD_PREFIX = "leakwatch-";

    private final long sampling;
    private final AllocationTracker tracker;
    private final AllocationTransformer.Installation installation;
    private final ClassDefinitionCounter definitions;
    private final SampleRateCeiling ceiling;
    private boolean failureLogged;

    private AllocationTracking(long sampling, AllocationTracker tracker, AllocationTransformer.Installation installation,
            ClassDefinitionCounter definitions, SampleRateCeiling ceiling) {
        this.ceiling = ceiling;
        this.sampling = sampling;
        this.tracker = tracker;
        this.installation = installation;
        this.definitions = definitions;
    }

    static AllocationTracking start(AgentOptions options, Instrumentation instrumentation, AgentLog log) {
        SiteRegistry registry = new SiteRegistry();
        AllocationTracker tracker = new AllocationTracker(instrumentation::getObjectSize, names(registry),
                TrackingSettings.defaults().withCapacity(options.maxTracked()).withStackDepth(options.stackDepth()));
        tracker.prepare();
        SampleRateCeiling ceiling = new SampleRateCeiling(options.sampling(), options.maxSampleRate(), System::nanoTime,
                AllocationHook::retune);
        AllocationHook.install(applicationOnly(tracker, ceiling), options.sampling());
        AllocationTransformer.Installation installation;
        try {
            installation = new AllocationTransformer(ClassScope.of(options.include(), options.exclude()), registry,
                    line -> log.info("allocation instrumentation: " + line)).install(instrumentation);
        } catch (RuntimeException | Error e) {
            AllocationHook.uninstall();
            throw e;
        }
        ClassDefinitionCounter definitions = new ClassDefinitionCounter();
        definitions.install(instrumentation);
        return new AllocationTracking(options.sampling(), tracker, installation, definitions, ceiling);
    }

    /** Called right after each histogram; moves the tracker to the next snapshot epoch. */
    AllocationStats snapshot(AgentLog log) {
        Throwable failure = tracker.firstFailure();
        if (failure != null && !failureLogged) {
            failureLogged = true;
            log.info("recording a sampled allocation failed (" + tracker.failures() + " times so far, counted as agent"
                    + " errors): " + AgentLog.describe(failure));
        }
        InstrumentationStats instrumented = installation.stats();
        AllocationStats stats = tracker.snapshot(sampling, PATHS_PER_SNAPSHOT).withLoaders(definitions.snapshot())
                .withInstrumentation(new InstrumentationCounts(instrumented.transformedClasses(),
                        instrumented.instrumentedSites(), instrumented.failedClasses()));
        tracker.advanceEpoch();
        return stats;
    }

    InstrumentationStats instrumentationStats() {
        return installation.stats();
    }

    /** The sampling interval in force: the {@code sampling} option, stretched while the allocation rate is high. */
    long currentInterval() {
        return ceiling.interval();
    }

    long hookFailures() {
        return AllocationHook.failures() + tracker.failures();
    }

    /**
     * Stops sampling, restores every instrumented class's original bytecode and drops the table.
     *
     * @return one line saying what was undone
     */
    String stop() {
        AllocationHook.uninstall();
        definitions.uninstall();
        long instrumented = installation.stats().transformedClasses();
        boolean restored = installation.reset();
        tracker.clear();
        return restored ? "allocation instrumentation removed, original bytecode of " + instrumented + " classes restored"
                : "allocation instrumentation could not be fully removed (see stderr)";
    }

    /**
     * The recorder the hook calls: the agent's own threads are not the application, and the ceiling weighs each sample
     * by the interval in force (the agent's samples are not counted against it).
     */
    private static AllocationRecorder applicationOnly(AllocationTracker tracker, SampleRateCeiling ceiling) {
        return (object, siteId) -> {
            if (!Thread.currentThread().getName().startsWith(AGENT_THREAD_PREFIX)) {
                tracker.record(object, siteId, ceiling.onSample());
            }
        };
    }

    private static SiteNames names(SiteRegistry registry) {
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
}

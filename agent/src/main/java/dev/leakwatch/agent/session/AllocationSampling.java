package dev.leakwatch.agent.session;

import dev.leakwatch.agent.instrument.ClassDefinitionCounter;
import dev.leakwatch.agent.instrument.SiteRegistry;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.agent.sampling.SampleRateCeiling;
import dev.leakwatch.agent.sampling.SampleWeight;
import dev.leakwatch.agent.sampling.SamplerUnavailableException;
import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import dev.leakwatch.agent.tracking.TrackingSettings;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Allocation tracking for one session: a sampler ({@link SampleSource}), the rate ceiling, the table of sampled live
 * objects and the class-definition counter, started and undone together.
 *
 * <p>Names no class of the bootstrap part: with the JVM's sampler, the bootstrap part is never installed, and only
 * {@link InstrumentedSamples} (loaded when instrumenting) may resolve it.
 */
final class AllocationSampling {
    /** Paths written per snapshot: enough for every suspect's top sites, bounded for the snapshot's size. */
    static final int PATHS_PER_SNAPSHOT = 200;
    /** Threads the agent starts: their allocations are the agent's, not the application's. */
    static final String AGENT_THREAD_PREFIX = JvmHeapSampler.AGENT_THREAD_PREFIX;
    /**
     * The site of every JVM-sampled path: such a sample has no site id, its stack's first frame is the allocation.
     * Only paths with no Java frame at all, or past the path cap, show the site's names.
     */
    private static final int JVM_SITE = 0;

    private static final SiteNames JVM_SITE_NAMES = new SiteNames() {
        @Override
        public String allocatedType(int siteId) {
            return "<various>";
        }

        @Override
        public String frame(int siteId) {
            return "<sampled by the JVM>";
        }
    };

    private final long baseInterval;
    private final AllocationTracker tracker;
    private final SampleRateCeiling ceiling;
    private final SampleSource source;
    private final ClassDefinitionCounter definitions;
    private boolean failureLogged;

    private AllocationSampling(
            long baseInterval,
            AllocationTracker tracker,
            SampleRateCeiling ceiling,
            SampleSource source,
            ClassDefinitionCounter definitions) {
        this.baseInterval = baseInterval;
        this.tracker = tracker;
        this.ceiling = ceiling;
        this.source = source;
        this.definitions = definitions;
    }

    /**
     * Tracks allocations sampled by the JVM's heap sampler: every {@code samplingBytes} bytes on average, each sample
     * weighed by how many objects of its size it stands for ({@link SampleWeight}) at the interval in force.
     *
     * @throws SamplerUnavailableException when the sampler cannot run here; nothing was started
     */
    static AllocationSampling startJvmSampler(AgentOptions options, Instrumentation instrumentation, Path scratch)
            throws SamplerUnavailableException {
        AllocationTracker tracker = newTracker(options, instrumentation, JVM_SITE_NAMES);
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        long base = options.samplingBytes();
        SampleRateCeiling ceiling =
                new SampleRateCeiling(base, options.maxSampleRate(), System::nanoTime, sampler::retune);
        // On the sampler's thread: the native callback takes the stack and the interval in force, no Java code runs
        // on the allocating thread. The ceiling counts samples as they are drained, a few milliseconds late.
        JvmHeapSampler.Listener listener = (object, size, interval, stack) -> {
            ceiling.onSample();
            if (object != null) { // null: it died before the drain, and retains nothing
                tracker.record(object, JVM_SITE, SampleWeight.draw(size, interval), size, stack);
            }
        };
        sampler.start(base, options.stackDepth(), listener);
        return new AllocationSampling(
                base, tracker, ceiling, new JvmSamples(sampler), countDefinitions(instrumentation));
    }

    /**
     * Tracks allocations sampled by bytecode hooks at the allocation sites of the classes in scope. Call only once
     * {@code BootstrapJar.install} put the hook on the bootstrap class path.
     */
    static AllocationSampling startInstrumentation(
            AgentOptions options, Instrumentation instrumentation, AgentLog log) {
        SiteRegistry registry = new SiteRegistry();
        AllocationTracker tracker = newTracker(options, instrumentation, InstrumentedSamples.names(registry));
        SampleRateCeiling ceiling = new SampleRateCeiling(
                options.sampling(), options.maxSampleRate(), System::nanoTime, InstrumentedSamples::retune);
        InstrumentedSamples source =
                InstrumentedSamples.start(options, instrumentation, registry, tracker, ceiling, log);
        return new AllocationSampling(options.sampling(), tracker, ceiling, source, countDefinitions(instrumentation));
    }

    private static AllocationTracker newTracker(
            AgentOptions options, Instrumentation instrumentation, SiteNames names) {
        AllocationTracker tracker = new AllocationTracker(
                instrumentation::getObjectSize,
                names,
                TrackingSettings.defaults().withCapacity(options.maxTracked()).withStackDepth(options.stackDepth()));
        tracker.prepare();
        return tracker;
    }

    private static ClassDefinitionCounter countDefinitions(Instrumentation instrumentation) {
        ClassDefinitionCounter definitions = new ClassDefinitionCounter();
        definitions.install(instrumentation);
        return definitions;
    }

    /**
     * Records no sample while {@code condition} holds (the heap too full for the agent's allocations): the sampler
     * leaves them queued or the tracker drops them.
     */
    void pauseWhile(BooleanSupplier condition) {
        tracker.pauseWhile(condition);
        source.pauseWhile(condition);
    }

    /** What the sampler and the tracker hold in the heap, as histogram rows, as of the last histogram. */
    List<ClassCount> ownFootprint() {
        List<ClassCount> sampler = source.ownFootprint();
        List<ClassCount> tracker = this.tracker.ownFootprint();
        if (sampler.isEmpty() || tracker.isEmpty()) {
            return sampler.isEmpty() ? tracker : sampler;
        }
        List<ClassCount> all = new ArrayList<>(sampler);
        all.addAll(tracker);
        return all;
    }

    /** Called right before each histogram. */
    void beforeHistogram() {
        source.beforeHistogram();
        tracker.markFootprint();
    }

    /** Called right after each histogram; moves the tracker to the next snapshot epoch. */
    AllocationStats snapshot(AgentLog log) {
        Throwable failure = tracker.firstFailure();
        if (failure != null && !failureLogged) {
            failureLogged = true;
            log.info("recording a sampled allocation failed (" + tracker.failures() + " times so far, counted as agent"
                    + " errors): " + AgentLog.describe(failure));
        }
        // The JVM sampler's weights already count objects (the interval is in bytes): scale by 1, not by the interval.
        boolean jvm = source.kind() == AllocationSampler.JVM;
        source.beforeSnapshot();
        AllocationStats stats = tracker.snapshot(jvm ? 1 : baseInterval, PATHS_PER_SNAPSHOT)
                .withLoaders(definitions.snapshot())
                .withInstrumentation(source.instrumentation())
                .withSampler(source.kind(), baseInterval)
                .withMoreEvictions(source.droppedSamples());
        tracker.advanceEpoch();
        return stats;
    }

    /** One line on how it samples, for the log at start. */
    String describe(AgentOptions options) {
        return source.describe() + "; sampling " + interval(baseInterval)
                + (options.maxSampleRate() == 0 ? "" : ", at most " + options.maxSampleRate() + " samples/s");
    }

    /** The status line's allocation part. */
    String status(AgentOptions options) {
        return String.format(
                Locale.ROOT,
                "sampling %s (now %s, at most %s samples/s), %s, %d sampling errors",
                interval(baseInterval),
                interval(ceiling.interval()),
                options.maxSampleRate() == 0 ? "unlimited" : String.valueOf(options.maxSampleRate()),
                source.describe(),
                failures());
    }

    long failures() {
        return source.failures() + tracker.failures();
    }

    /**
     * Stops sampling, undoes what the sampler changed and drops the table.
     *
     * @return one line saying what was undone
     */
    String stop() {
        String undone = source.stop();
        definitions.uninstall();
        tracker.clear();
        return undone;
    }

    private String interval(long interval) {
        if (source.kind() == AllocationSampler.JVM) {
            // The report's own unit words (Wording), so the log, the status and the report read alike.
            return "1 per " + Wording.bytes(Math.min(interval, JvmHeapSampler.MAX_INTERVAL)) + " allocated";
        }
        return "1 in " + interval + " allocations";
    }
}

import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.agent.sampling.SampleWeight;
import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one sample of the JVM's heap sampler costs: on the allocating thread (the JVMTI event, the JVM's stack walk of
 * DEPTH frames, a weak reference and a copy into the native queue), timed as the same allocation loop with the
 * sampler off and on, the difference divided by the samples taken; and on the sampler's own thread, the time an
 * {@code AllocationTracker} takes to record one (frames resolved, path lookup, weak reference).
 *
 * <pre>
 *   mvn -q -pl agent -am package -DskipTests
 *   java -cp agent/target/leakwatch-agent.jar bench/JvmSampleCost.java [DEPTH] [ROUNDS]
 * </pre>
 *
 * Not part of the test suite: the figures depend on the machine.
 */
public final class JvmSampleCost {
    private static final long INTERVAL = 64 * 1024;
    private static final int STACK_DEPTH = 24;
    private static final int ALLOCATIONS = 2_000_000;
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        AllocationTracker tracker = new AllocationTracker(object -> 16, SiteNames.Unavailable.INSTANCE);
        LongAdder samples = new LongAdder();
        LongAdder recordNanos = new LongAdder();
        LongAdder recorded = new LongAdder();
        JvmHeapSampler.Listener counting = (object, size, interval, stack) -> samples.increment();
        JvmHeapSampler.Listener recording = (object, size, interval, stack) -> {
            samples.increment();
            if (object != null) {
                long start = System.nanoTime();
                tracker.record(object, 0, SampleWeight.draw(size, interval), size, stack);
                recordNanos.add(System.nanoTime() - start);
                recorded.increment();
            }
        };
        for (int round = 0; round < rounds; round++) {
            long off = atDepth(depth);
            JvmHeapSampler sampler = JvmHeapSampler.load(Files.createTempDirectory("jvm-sample-cost"));
            sampler.start(INTERVAL, STACK_DEPTH, counting);
            long on = atDepth(depth);
            sampler.flush();
            long taken = samples.sumThenReset() + sampler.dropped();
            sampler.stop();
            sampler = JvmHeapSampler.load(Files.createTempDirectory("jvm-sample-cost"));
            sampler.start(INTERVAL, STACK_DEPTH, recording);
            sink = atDepth(depth);
            sampler.flush();
            sampler.stop();
            tracker.clear();
            System.out.printf(Locale.ROOT, "round %d: allocating thread %5.2f us per sample (%d samples; loop %.0f ms"
                            + " with the sampler off), recording on the sampler's thread %5.1f us per live sample (%d)%n",
                    round, (on - off) / 1e3 / Math.max(1, taken), taken, off / 1e6,
                    recordNanos.sumThenReset() / 1e3 / Math.max(1, recorded.sum()), recorded.sumThenReset());
            samples.reset();
        }
    }

    private static long atDepth(int depth) {
        if (depth > 0) {
            return atDepth(depth - 1);
        }
        long start = System.nanoTime();
        for (int i = 0; i < ALLOCATIONS; i++) {
            sink = new byte[64 + (i & 63)];
        }
        return System.nanoTime() - start;
    }
}

import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.agent.sampling.SampleWeight;
import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one sample of the JVM's heap sampler costs the allocating thread: the same allocation loop (DEPTH frames deep)
 * timed with the sampler off, with every sample handed to a listener that only counts it (the JVMTI event and the
 * upcall into Java), and with every sample recorded by an {@code AllocationTracker} (plus the stack walk, the path
 * lookup and the weak reference); the differences divided by the samples taken.
 *
 * <pre>
 *   mvn -q -pl agent -am package -DskipTests
 *   java -cp agent/target/leakwatch-agent.jar bench/JvmSampleCost.java [DEPTH] [ROUNDS]
 * </pre>
 *
 * Not part of the test suite: the figures depend on the machine.
 */
public final class JvmSampleCost {
    private static final long INTERVAL = 16 * 1024;
    private static final int ALLOCATIONS = 2_000_000;
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        AllocationTracker tracker = new AllocationTracker(object -> 16, SiteNames.Unavailable.INSTANCE);
        LongAdder samples = new LongAdder();
        JvmHeapSampler sampler = JvmHeapSampler.load(Files.createTempDirectory("jvm-sample-cost"));
        JvmHeapSampler.Listener counting = (object, size) -> samples.increment();
        JvmHeapSampler.Listener recording = (object, size) -> {
            samples.increment();
            tracker.record(object, 0, SampleWeight.draw(size, INTERVAL), size);
        };
        for (int round = 0; round < rounds; round++) {
            long off = atDepth(depth);
            sampler.start(INTERVAL, counting);
            samples.reset();
            long counted = atDepth(depth);
            long countedSamples = samples.sumThenReset();
            sampler.stop();
            sampler.start(INTERVAL, recording);
            long recorded = atDepth(depth);
            long recordedSamples = samples.sumThenReset();
            sampler.stop();
            tracker.clear();
            System.out.printf(Locale.ROOT, "round %d: event and upcall %5.1f us, recorded sample %5.1f us"
                            + " (%d and %d samples; loop %.0f ms with the sampler off)%n", round,
                    (counted - off) / 1e3 / Math.max(1, countedSamples),
                    (recorded - off) / 1e3 / Math.max(1, recordedSamples), countedSamples, recordedSamples, off / 1e6);
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

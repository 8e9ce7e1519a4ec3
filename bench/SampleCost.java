import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one sampled allocation costs the allocating thread, in time and in bytes it allocates:
 * {@code AllocationTracker.record} (the stack walk, the path lookup, the weak reference) from a stack {@code DEPTH}
 * frames deep, in rounds of 1,000 samples, from the
 * first round (interpreted, what a short run or a rarely sampled path pays) to a compiled steady state.
 *
 * <pre>
 *   mvn -q -pl agent -am package -DskipTests
 *   java -cp agent/target/leakwatch-agent.jar:bootstrap/target/classes bench/SampleCost.java [DEPTH] [ROUNDS]
 * </pre>
 *
 * Not part of the test suite: the figures depend on the machine.
 */
public final class SampleCost {
    private static final int PER_ROUND = 1_000;
    private static final AllocationTracker TRACKER = new AllocationTracker(object -> 16, SiteNames.Unavailable.INSTANCE);
    private static final List<Object> RETAINED = new ArrayList<>();

    public static void main(String[] args) {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int round = 0; round < rounds; round++) {
            long bytesBefore = threads.getThreadAllocatedBytes(self);
            long nanos = atDepth(depth);
            long bytes = threads.getThreadAllocatedBytes(self) - bytesBefore;
            System.out.printf(Locale.ROOT, "round %2d: %6.1f us and %6.0f bytes allocated per sample (%d frames deep)%n",
                    round, nanos / 1_000.0 / PER_ROUND, (double) bytes / PER_ROUND, depth);
            if (RETAINED.size() > 50_000) {
                RETAINED.clear();
            }
        }
    }

    private static long atDepth(int depth) {
        if (depth > 0) {
            return atDepth(depth - 1);
        }
        long start = System.nanoTime();
        for (int i = 0; i < PER_ROUND; i++) {
            Object sampled = new Object();
            TRACKER.record(sampled, 1 + i % 7);
            if (i % 16 == 0) {
                RETAINED.add(sampled); // some survive, as in an application; the rest die and are drained
            }
        }
        return System.nanoTime() - start;
    }
}

import dev.leakwatch.agent.holders.AgentPackages;
import dev.leakwatch.agent.holders.RetentionSearch;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;
import jdk.jfr.Recording;

/**
 * What one retention-chain search costs next to a live class histogram and JFR's path-to-gc-roots, in one JVM with a
 * live heap of a given size. Not a test: {@code bench/retention-chain-cost.sh} compiles it with {@code LiveHeap.java}
 * and runs it once per size.
 *
 * <pre>java -Xmx3g -cp WORK:leakwatch-agent.jar ChainCost 1g 3</pre>
 *
 * <p>Builds {@link LiveHeap}'s heap (a session cache, an object graph, buffers) and keeps its churn running on a
 * thread, with a JFR recording of {@code jdk.OldObjectSample} running from the start (as a user would have it to get
 * JFR's paths). Then, RUNS times each, interleaved: one chain search for {@code LiveHeap$Session} (the agent's
 * {@link RetentionSearch} with its default limits, asked for by a person, so no maxPause cut), one live histogram
 * ({@code GC.class_histogram} through the DiagnosticCommand MBean, what a leakwatch snapshot takes), and one dump of
 * the JFR recording with paths to GC roots (cutoff infinity, what {@code JFR.dump path-to-gc-roots=true} does) and one
 * without (the dump's own cost). A search's pause is its longest heap walk pass (each pass is one safepoint); a
 * histogram's and a dump's, the wall time of the call (one safepoint for the histogram; the dump's path search runs in
 * a safepoint too). CPU is the process's CPU time over the call.
 *
 * <p>Prints one line per measurement, tab-separated: {@code size what run pauseMs totalPauseMs wallMs cpuMs detail}.
 */
public final class ChainCost {
    public static void main(String[] args) throws Exception {
        String size = args[0];
        int runs = Integer.parseInt(args[1]);
        Constructor<LiveHeap> constructor = LiveHeap.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        LiveHeap heap = constructor.newInstance();
        Method build = LiveHeap.class.getDeclaredMethod("build", long.class);
        build.setAccessible(true);

        Recording jfr = new Recording();
        jfr.enable("jdk.OldObjectSample").with("cutoff", "infinity").withStackTrace();
        jfr.start();
        build.invoke(heap, LiveHeap.parseSize(size));
        Method churn = LiveHeap.class.getDeclaredMethod("churnForever");
        churn.setAccessible(true);
        Thread churner = new Thread(() -> {
            try {
                churn.invoke(heap);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }, "churn");
        churner.setDaemon(true);
        churner.start();
        System.err.printf(Locale.ROOT, "%s: heap built, %d MB used%n", size, used() >> 20);

        Path scratch = Files.createTempDirectory("chain-cost");
        RetentionSearch search = new RetentionSearch(scratch, RetentionSearch.Limits.defaults(Duration.ofSeconds(60)));
        Class<?> session = Class.forName("LiveHeap$Session");
        search.search(List.of(session), List.of(), AgentPackages.OWN, true); // loads and links everything once
        for (int run = 1; run <= runs; run++) {
            long cpu = cpu();
            long start = System.nanoTime();
            RetentionSearch.SearchOutcome outcome = search.search(List.of(session), List.of(), AgentPackages.OWN, true);
            long wall = (System.nanoTime() - start) / 1_000_000;
            String top = outcome.chains().isEmpty() ? "none" : String.join(" -> ", outcome.chains().get(0).elements());
            print(size, "chain search", run, outcome.longestPauseMillis(), outcome.totalPauseMillis(), wall,
                    (cpu() - cpu) / 1_000_000, outcome.passes() + " passes, " + outcome.nodes() + " objects tagged, "
                            + outcome.edges() + " references, " + outcome.liveTargets() + " targets, chain: " + top
                            + (outcome.cut() == null ? "" : ", " + outcome.cut()));

            cpu = cpu();
            start = System.nanoTime();
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
            wall = (System.nanoTime() - start) / 1_000_000;
            print(size, "live histogram", run, wall, wall, wall, (cpu() - cpu) / 1_000_000, "");

            for (boolean paths : new boolean[] {true, false}) {
                Path file = scratch.resolve("dump-" + run + "-" + paths + ".jfr");
                Recording dumped = jfr;
                if (!paths) {
                    dumped = new Recording();
                    dumped.enable("jdk.OldObjectSample").with("cutoff", "0 ns");
                    dumped.start();
                }
                cpu = cpu();
                start = System.nanoTime();
                dumped.dump(file);
                wall = (System.nanoTime() - start) / 1_000_000;
                print(size, paths ? "JFR dump, path-to-gc-roots" : "JFR dump, no paths", run, wall, wall, wall,
                        (cpu() - cpu) / 1_000_000, Files.size(file) + " bytes");
                if (!paths) {
                    dumped.close();
                }
                Files.delete(file);
            }
        }
        jfr.close();
        System.out.flush();
        System.exit(0);
    }

    private static void print(String size, String what, int run, long pause, long totalPause, long wall, long cpu,
            String detail) {
        System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s%n", size, what, run, pause, totalPause, wall,
                cpu, detail);
        System.out.flush();
    }

    private static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

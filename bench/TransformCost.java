import dev.leakwatch.agent.instrument.AllocationInstrumenter;
import dev.leakwatch.agent.instrument.SiteRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What transforming classes costs a JVM that has just started, as class loading pays it: every class of the given
 * jars instrumented once, in a fresh JVM, in jar order. Prints the transforming thread's CPU time per class, the
 * whole process's CPU time meanwhile (the JIT compiling the transformer included), and the sites hooked.
 *
 * <pre>
 *   mvn -q -pl agent -am package -DskipTests
 *   java -cp agent/target/leakwatch-agent.jar bench/TransformCost.java JAR...
 * </pre>
 *
 * Run it several times, alternating with another agent build, and compare medians: one run moves by 10-20% on a
 * shared machine. Not part of the test suite.
 */
public final class TransformCost {
    public static void main(String[] args) throws Exception {
        List<byte[]> classes = new ArrayList<>();
        for (String jar : args) {
            try (JarFile file = new JarFile(jar)) {
                for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                    if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                        classes.add(file.getInputStream(entry).readAllBytes());
                    }
                }
            }
        }
        var threads = ManagementFactory.getThreadMXBean();
        var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(new SiteRegistry(1 << 20), true);
        long processBefore = process.getProcessCpuTime();
        long threadBefore = threads.getCurrentThreadCpuTime();
        int changed = 0;
        for (byte[] classFile : classes) {
            if (instrumenter.instrumentOrOriginal(classFile) != classFile) {
                changed++;
            }
        }
        long threadNanos = threads.getCurrentThreadCpuTime() - threadBefore;
        long processNanos = process.getProcessCpuTime() - processBefore;
        System.out.printf(Locale.ROOT, "%d classes, %d changed, %d sites: transforming thread %.1f us/class "
                        + "(%.2f s), whole process %.2f CPU s%n", classes.size(), changed,
                instrumenter.instrumentedSites(), threadNanos / 1e3 / classes.size(), threadNanos / 1e9,
                processNanos / 1e9);
    }
}

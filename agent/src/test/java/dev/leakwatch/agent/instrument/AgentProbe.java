package dev.leakwatch.agent.instrument;

import dev.leakwatch.bootstrap.AllocationHook;
import dev.leakwatch.bootstrap.AllocationRecorder;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

/**
 * Runs in the JVM that {@link AllocationTransformerAgentTest} forks, as {@code -javaagent} (premain keeps the
 * Instrumentation) and main: installs the bootstrap jar and the transformer like the agent will, runs
 * {@code probe.Workload} with every allocation sampled, resets, and prints {@code key=value} lines.
 */
public final class AgentProbe {
    static volatile Instrumentation instrumentation;

    private AgentProbe() {}

    public static void premain(String arguments, Instrumentation inst) {
        instrumentation = inst;
    }

    public static void main(String[] args) throws Throwable {
        Path tmp = Files.createTempDirectory("leakwatch-probe");
        out("bootstrapInstallation", BootstrapJar.install(instrumentation, tmp));
        // Only now may a class that refers to AllocationHook be loaded.
        Class.forName(AgentProbe.class.getName() + "$Run").getMethod("run").invoke(null);
    }

    static void out(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    static final class Run {
        private Run() {}

        public static void run() throws Throwable {
            out("hookOnBootstrap", AllocationHook.class.getClassLoader() == null);
            out("stripesByThreadId", AllocationHook.stripesByThreadId());
            SiteRegistry registry = new SiteRegistry();
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            AllocationTransformer.Installation installation =
                    new AllocationTransformer(ClassScope.defaults(), registry, log::add).install(instrumentation);
            out("installMillis", (System.nanoTime() - start) / 1_000_000);
            out("transformedAtInstall", installation.stats().transformedClasses());

            Counter counter = new Counter(registry.capacity() + 1);
            AllocationHook.install(counter, 1);
            Class<?> workload = Class.forName("probe.Workload");
            out("collections", workload.getMethod("collections").invoke(null));
            out("hashMapNewNode", counter.sum(registry, s -> s.frame().startsWith("java.util.HashMap.newNode(")));
            out(
                    "hashMapTable",
                    counter.sum(
                            registry,
                            s -> s.frame().startsWith("java.util.HashMap.resize(")
                                    && s.allocatedType().equals("java.util.HashMap$Node[]")));
            out(
                    "workloadBytes",
                    counter.sum(
                            registry,
                            s -> s.frame().startsWith("probe.Workload.collections(")
                                    && s.allocatedType().equals("byte[]")));
            out(
                    "lambdaBody",
                    counter.sum(
                            registry,
                            s -> s.methodName().startsWith("lambda$")
                                    && s.className().equals("probe.Workload")));
            out(
                    "stringBuilderBytes",
                    counter.sum(
                            registry,
                            s -> s.className().equals("java.lang.AbstractStringBuilder")
                                    || s.className().startsWith("java.util.Arrays")
                                            && s.allocatedType().equals("byte[]")));
            out("stringLatin1", counter.sum(registry, s -> s.className().equals("java.lang.StringLatin1")));
            out(
                    "concatenatedStrings",
                    counter.sum(
                            registry,
                            s -> s.className().equals("java.lang.StringConcatHelper")
                                    && s.allocatedType().equals("java.lang.String")));
            for (String type : List.of(
                    "java.util.TreeMap$Entry",
                    "java.util.LinkedList$Node",
                    "java.util.LinkedHashMap$Entry",
                    "java.util.concurrent.ConcurrentHashMap$Node",
                    "java.util.concurrent.ConcurrentLinkedQueue$Node",
                    "java.util.HashMap")) {
                out("type:" + type, counter.sum(registry, s -> s.allocatedType().equals(type)));
            }
            TreeSet<String> jdkSites = new TreeSet<>();
            counter.forEachSeen(registry, s -> {
                if (s.className().startsWith("java.")) {
                    jdkSites.add(s.className() + "." + s.methodName() + " " + s.allocatedType());
                }
            });
            out("jdkSites", jdkSites);

            // ArrayList growth through Arrays.copyOf(Object[], int, Class), a C2 intrinsic: counted at its call site.
            Method grow = workload.getMethod("growLists", int.class);
            Predicate<HookedSite> objectArrayCopies = s -> s.frame().startsWith("java.util.Arrays.copyOf(")
                    && s.allocatedType().equals("java.lang.Object[]");
            long before = counter.sum(registry, objectArrayCopies);
            grow.invoke(null, 50_000);
            long warm = counter.sum(registry, objectArrayCopies);
            grow.invoke(null, 200_000);
            long hot = counter.sum(registry, objectArrayCopies);
            out("copyOfPerListWarm", (warm - before) / 50_000.0);
            out("copyOfPerListHot", (hot - warm) / 200_000.0);

            out("hidden", workload.getMethod("hidden").invoke(null));
            out("hiddenSites", counter.sum(registry, s -> s.className().startsWith("probe.HiddenTarget")));

            InstrumentationStats stats = installation.stats();
            out("stats", stats);
            out("errors", stats.errors());
            installation.firstFailure().ifPresent(failure -> {
                java.io.StringWriter trace = new java.io.StringWriter();
                failure.printStackTrace(new java.io.PrintWriter(trace));
                out("firstFailure", trace.toString().replace('\n', '|'));
            });
            out("hookFailures", AllocationHook.failures());

            out("reset", installation.reset());
            long afterReset = counter.total();
            workload.getMethod("collections").invoke(null);
            grow.invoke(null, 1_000);
            out("recordedAfterReset", counter.total() - afterReset);
            out("errorsAfterReset", installation.stats().errors());
            AllocationHook.uninstall();
            for (String line : log.toArray(new String[0])) {
                out("log", line);
            }
            out("done", true);
        }
    }

    /** Allocation-free: one counter per site id. */
    static final class Counter implements AllocationRecorder {
        private final AtomicLongArray counts;

        Counter(int sites) {
            counts = new AtomicLongArray(sites);
        }

        @Override
        public void record(Object object, int siteId) {
            if (siteId >= 0 && siteId < counts.length()) {
                counts.incrementAndGet(siteId);
            }
        }

        long total() {
            long total = 0;
            for (int i = 0; i < counts.length(); i++) {
                total += counts.get(i);
            }
            return total;
        }

        long sum(SiteRegistry registry, Predicate<HookedSite> which) {
            long sum = 0;
            for (int id = 1; id <= registry.size(); id++) {
                HookedSite site = registry.site(id);
                if (site != null && counts.get(id) > 0 && which.test(site)) {
                    sum += counts.get(id);
                }
            }
            return sum;
        }

        void forEachSeen(SiteRegistry registry, java.util.function.Consumer<HookedSite> action) {
            for (int id = 1; id <= registry.size(); id++) {
                HookedSite site = registry.site(id);
                if (site != null && counts.get(id) > 0) {
                    action.accept(site);
                }
            }
        }
    }
}

package dev.leakwatch.samples;

import dev.leakwatch.samples.controls.BoundedLruCache;
import dev.leakwatch.samples.controls.SawtoothBuffer;
import dev.leakwatch.samples.controls.SteadyChurn;
import dev.leakwatch.samples.controls.WarmupPlateau;
import dev.leakwatch.samples.leaks.ChurnWithSlowLeak;
import dev.leakwatch.samples.leaks.ClassLoaderLeak;
import dev.leakwatch.samples.leaks.ListenerLeak;
import dev.leakwatch.samples.leaks.LoggerPerRequestLeak;
import dev.leakwatch.samples.leaks.StaticCacheLeak;
import dev.leakwatch.samples.leaks.ThreadLocalLeak;
import java.util.List;
import java.util.Optional;

/**
 * Every sample, with what the detector is expected to report for it. The end-to-end tests take their expectations
 * from here rather than repeating class names. The leaking classes are private nested classes, as leaking classes
 * usually are, so they are named by string; {@code SampleCatalogTest} loads each one and finds each method.
 */
public final class SampleCatalog {

    private static final String LEAKS = "dev.leakwatch.samples.leaks.";

    private static final List<Sample> ALL = List.of(
            Sample.leaking(
                    "static-cache",
                    "unbounded static HashMap of Session objects (id + 1 KB payload), ~2.2 MB/min",
                    StaticCacheLeak.class,
                    LEAKS + "StaticCacheLeak.openSession",
                    LEAKS + "StaticCacheLeak$Session"),
            Sample.leaking(
                    "listeners",
                    "PriceListener registered on a long-lived event bus per request, never removed, ~1.9 MB/min",
                    ListenerLeak.class,
                    LEAKS + "ListenerLeak.subscribe",
                    LEAKS + "ListenerLeak$PriceListener"),
            Sample.leaking(
                    "threadlocal",
                    "4-thread pool whose tasks append a RequestContext to a never-cleared ThreadLocal list, ~2.4 MB/min",
                    ThreadLocalLeak.class,
                    LEAKS + "ThreadLocalLeak.serve",
                    LEAKS + "ThreadLocalLeak$RequestContext"),
            Sample.leaking(
                    "churn-slow-leak",
                    "~32 MB/s of short-lived garbage hiding AuditRecords appended to a static list, ~1.1 MB/min",
                    ChurnWithSlowLeak.class,
                    LEAKS + "ChurnWithSlowLeak.audit",
                    LEAKS + "ChurnWithSlowLeak$AuditRecord"),
            Sample.leaking(
                            "classloader",
                            "reloads a Plugin class in a new class loader 10 times/s and keeps every old one, ~2 MB/min",
                            ClassLoaderLeak.class,
                            LEAKS + "ClassLoaderLeak.loadPlugin",
                            // The loader first: each reload adds a Plugin class of the same name, so a histogram keyed
                            // by class shows many one-instance Plugin rows, while the loader is one row whose count
                            // grows.
                            LEAKS + "ClassLoaderLeak$PluginClassLoader",
                            LEAKS + "plugin.Plugin")
                    // Issue 13: classes that are never unloaded are a class-loading finding, naming the loader type.
                    .withFinding("class-loading"),
            Sample.leaking(
                    "logger-per-request",
                    "a java.util.logging Logger named after each request: the JDK keeps a LogNode per name, ~0.8 MB/min",
                    LoggerPerRequestLeak.class,
                    LEAKS + "LoggerPerRequestLeak.requestLogger",
                    // No class of the sample grows: the JDK class that keeps the names must name the suspect.
                    "java.util.logging.LogManager$LogNode"),
            Sample.control(
                    "bounded-lru",
                    "LRU cache (LinkedHashMap, 20k entries, ~22 MB) full after ~10 s, then replacing entries",
                    BoundedLruCache.class),
            Sample.control(
                    "sawtooth",
                    "buffer of byte[] frames filled to 40 MB and cleared, every ~10 s",
                    SawtoothBuffer.class),
            Sample.control(
                    "warmup-plateau",
                    "cache grows to ~30 MB over the first 15 s, then stays flat while serving reads",
                    WarmupPlateau.class),
            Sample.control(
                    "steady-churn",
                    "~60 MB live set allocated at start, then only short-lived garbage",
                    SteadyChurn.class));

    private SampleCatalog() {}

    /** All samples, leaks first, in a fixed order. */
    public static List<Sample> all() {
        return ALL;
    }

    public static Optional<Sample> byName(String name) {
        return ALL.stream().filter(sample -> sample.name().equals(name)).findFirst();
    }

    /** The leaking samples only. */
    public static List<Sample> leaking() {
        return ALL.stream().filter(Sample::leaks).toList();
    }

    /** The controls only: samples whose retained heap does not grow. */
    public static List<Sample> controls() {
        return ALL.stream().filter(sample -> !sample.leaks()).toList();
    }
}

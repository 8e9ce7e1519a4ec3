package dev.leakwatch.agent.tracking;

import java.util.List;
import java.util.Objects;

/**
 * Bounds and frame classification of an {@link AllocationTracker}.
 *
 * @param capacity          sampled objects tracked at most; beyond it the tracker thins its samples (see
 *                          {@link AllocationTracker})
 * @param maxPaths          distinct allocation paths (type + stack) kept at most; the stacks of later paths collapse
 *                          into one "other stacks" path per site (and, past as many sites, into one path for all)
 * @param stackDepth        frames recorded per sample, counted from the allocation site outwards
 * @param libraryPrefixes   class-name prefixes of known libraries: the first frame outside them and outside the JDK
 *                          is the application's own
 * @param hookFramePrefixes class-name prefixes of the hook's frames, skipped at the top of every stack
 */
public record TrackingSettings(
        int capacity, int maxPaths, int stackDepth, List<String> libraryPrefixes, List<String> hookFramePrefixes) {

    public static final int DEFAULT_CAPACITY = 100_000;
    public static final int DEFAULT_MAX_PATHS = 10_000;
    /**
     * Deep enough to climb from a JDK collection's internals through a logging framework, an object pool, a cache
     * and a serializer (each typically 3 to 5 frames) to the application's frame.
     */
    public static final int DEFAULT_STACK_DEPTH = 24;

    static final int MAX_STACK_DEPTH = 1024;

    /**
     * The JDK's own packages. {@code org.w3c.dom}, {@code org.xml.sax} and {@code org.ietf.jgss} are JDK modules'
     * API packages too (java.xml, java.security.jgss), so a DOM parser's frames are not mistaken for the application.
     */
    public static final List<String> JDK_PREFIXES =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.dom.", "org.xml.sax.", "org.ietf.jgss.");

    /** Libraries commonly found between the JDK and an application's own code. */
    public static final List<String> KNOWN_LIBRARY_PREFIXES = List.of(
            "org.apache.",
            "com.google.",
            "org.springframework.",
            "io.netty.",
            "com.fasterxml.",
            "org.hibernate.",
            "ch.qos.logback.",
            "org.slf4j.",
            "groovy.",
            "org.codehaus.groovy.",
            "org.h2.",
            "com.zaxxer.",
            "kotlin.",
            "kotlinx.",
            "scala.",
            "io.micrometer.",
            "reactor.",
            "io.reactivex.",
            "org.reactivestreams.",
            "org.eclipse.jetty.",
            "io.undertow.",
            "org.jboss.",
            "org.glassfish.",
            "jakarta.",
            "io.vertx.",
            "io.grpc.",
            "io.opentelemetry.",
            "io.prometheus.",
            "com.github.benmanes.caffeine.",
            "org.ehcache.",
            "net.sf.ehcache.",
            "com.esotericsoftware.",
            "org.yaml.snakeyaml.",
            "com.squareup.",
            "okhttp3.",
            "okio.",
            "org.postgresql.",
            "com.mysql.",
            "org.mariadb.",
            "oracle.jdbc.",
            "com.mongodb.",
            "org.mongodb.",
            "redis.clients.",
            "io.lettuce.",
            "org.quartz.",
            "org.aspectj.",
            "net.bytebuddy.",
            "org.objectweb.asm.",
            "javassist.",
            "cglib.",
            "org.mockito.",
            "org.junit.",
            "junit.",
            "org.gradle.",
            "org.mozilla.javascript.",
            "org.graalvm.",
            "com.oracle.truffle.",
            "org.openjdk.nashorn.",
            "org.mvel2.",
            "freemarker.",
            "org.thymeleaf.",
            "org.jctools.",
            "com.lmax.",
            "it.unimi.dsi.fastutil.",
            "org.eclipse.collections.",
            "org.joda.",
            "com.amazonaws.",
            "software.amazon.",
            "io.quarkus.",
            "io.smallrye.",
            "org.bouncycastle.");

    /** The bootstrap hook and the agent itself: never the code that caused an allocation. */
    public static final List<String> HOOK_FRAME_PREFIXES = List.of("dev.leakwatch.bootstrap.", "dev.leakwatch.agent.");

    public TrackingSettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        if (maxPaths < 1) {
            throw new IllegalArgumentException("maxPaths must be at least 1: " + maxPaths);
        }
        if (stackDepth < 1 || stackDepth > MAX_STACK_DEPTH) {
            throw new IllegalArgumentException("stackDepth must be within 1.." + MAX_STACK_DEPTH + ": " + stackDepth);
        }
        libraryPrefixes = List.copyOf(Objects.requireNonNull(libraryPrefixes, "libraryPrefixes"));
        hookFramePrefixes = List.copyOf(Objects.requireNonNull(hookFramePrefixes, "hookFramePrefixes"));
    }

    public static TrackingSettings defaults() {
        return new TrackingSettings(
                DEFAULT_CAPACITY, DEFAULT_MAX_PATHS, DEFAULT_STACK_DEPTH, KNOWN_LIBRARY_PREFIXES, HOOK_FRAME_PREFIXES);
    }

    public TrackingSettings withCapacity(int newCapacity) {
        return new TrackingSettings(newCapacity, maxPaths, stackDepth, libraryPrefixes, hookFramePrefixes);
    }

    public TrackingSettings withMaxPaths(int newMaxPaths) {
        return new TrackingSettings(capacity, newMaxPaths, stackDepth, libraryPrefixes, hookFramePrefixes);
    }

    public TrackingSettings withStackDepth(int newStackDepth) {
        return new TrackingSettings(capacity, maxPaths, newStackDepth, libraryPrefixes, hookFramePrefixes);
    }

    public TrackingSettings withLibraryPrefixes(List<String> newLibraryPrefixes) {
        return new TrackingSettings(capacity, maxPaths, stackDepth, newLibraryPrefixes, hookFramePrefixes);
    }

    public TrackingSettings withHookFramePrefixes(List<String> newHookFramePrefixes) {
        return new TrackingSettings(capacity, maxPaths, stackDepth, libraryPrefixes, newHookFramePrefixes);
    }
}

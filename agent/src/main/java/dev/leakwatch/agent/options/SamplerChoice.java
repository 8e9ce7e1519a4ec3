package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Which sampler picks the tracked allocations: the {@code sampler} option.
 *
 * <p>{@link #INSTRUMENTATION} is the default. {@link #JVM} takes the JVM's own heap sampler (Linux on the
 * architectures the build made it for, JDK 11 or later): it costs a few percent where the instrumentation costs about
 * ten, sees every allocation (reflection, {@code Unsafe}, the JVM's own), and needs no class transformed, so
 * attaching costs no recompilation (README, "Allocation tracking overhead"). It is experimental: its callback runs the
 * tracker's Java code on the allocating thread, wherever that thread is, class loading included, and a sample taken
 * while the thread loads a class the tracker then needs can leave that class unusable for the application (seen once,
 * at start-up, in CI). {@link #AUTO} takes the JVM's sampler where its library loads, else instrumentation.
 */
public enum SamplerChoice {
    AUTO, JVM, INSTRUMENTATION;

    /** The option's value as users write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SamplerChoice parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "jvm" -> JVM;
            case "instrumentation", "bytecode" -> INSTRUMENTATION;
            default -> throw new IllegalArgumentException("'" + value + "' is not auto, jvm or instrumentation");
        };
    }
}

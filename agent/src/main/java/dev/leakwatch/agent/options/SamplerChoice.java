package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Which sampler picks the tracked allocations: the {@code sampler} option.
 *
 * <p>{@link #AUTO}, the default, takes the JVM's sampler where its library loads, else instrumentation. {@link #JVM}
 * takes the JVM's own heap sampler (Linux on the architectures the build made it for, JDK 11 or later): it costs a few
 * percent where the instrumentation costs about ten, sees every allocation (reflection, {@code Unsafe}, the JVM's
 * own), and needs no class transformed, so attaching costs no recompilation (docs/measurements.md,
 * "Allocation tracking overhead"). Its native callback runs no Java code on the allocating thread ({@code JvmHeapSampler}).
 * {@link #INSTRUMENTATION} hooks the allocation sites of the classes in scope, on any JVM.
 */
public enum SamplerChoice {
    AUTO,
    JVM,
    INSTRUMENTATION;

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

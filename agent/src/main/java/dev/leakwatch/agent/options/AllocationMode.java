package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Whether allocations are sampled: the {@code allocations} option.
 *
 * <p>{@link #AUTO} is the default, so that each suspect of a report names the code that allocates it: it tracks
 * whenever that changes no class of a running JVM. At start-up that is always so (each class is instrumented as it
 * loads, if instrumentation is the sampler); after an attach only the JVM's own heap sampler qualifies, because
 * instrumenting would retransform every class already loaded and throw its compiled code away, a burst of
 * recompilation a running service should get only when someone asks for it ({@link #ON}). Where neither applies, the
 * agent says why in one line and records histograms only. With the JVM's sampler, what {@code auto} takes where its
 * library loads, the price is about async-profiler's {@code alloc,live} (README, "What it costs"). {@link #OFF} keeps
 * to class histograms.
 */
public enum AllocationMode {
    ON,
    OFF,
    AUTO;

    /** Whether allocations are tracked at all, by one sampler or the other. */
    public boolean tracks() {
        return this != OFF;
    }

    /**
     * Whether allocation sites may be instrumented, when the JVM's heap sampler is not used.
     *
     * @param atJvmStart whether the agent starts with the JVM ({@code premain}) rather than by an attach
     */
    public boolean instrumentsWhen(boolean atJvmStart) {
        return this == ON || (this == AUTO && atJvmStart);
    }

    /** The option's value as users write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AllocationMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> ON;
            case "off", "false", "no" -> OFF;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("'" + value + "' is not on, off or auto");
        };
    }
}

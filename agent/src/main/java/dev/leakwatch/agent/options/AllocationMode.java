package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Whether allocations are sampled: the {@code allocations} option.
 *
 * <p>{@link #OFF} is the default: class histograms alone stay within a few percent of no agent, while allocation
 * tracking costs more (README, "Allocation tracking overhead" and "Class-loading cost"). {@link #AUTO} is for a
 * {@code -javaagent} line or an attach script shared by many services: it tracks whenever that changes no class of a
 * running JVM. At start-up that is always so (each class is instrumented as it loads, if instrumentation is the
 * sampler); after an attach only the JVM's own heap sampler qualifies, because instrumenting would retransform every
 * class already loaded and throw its compiled code away, a burst of recompilation a running service should get only
 * when someone asks for it ({@code allocations=on}).
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

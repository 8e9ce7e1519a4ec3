package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Whether allocation sites are instrumented and sampled: the {@code allocations} option.
 *
 * <p>{@link #OFF} is the default: class histograms alone stay within a few percent of no agent, while allocation
 * tracking costs more (README, "Allocation tracking overhead" and "Class-loading cost"). {@link #AUTO} tracks
 * allocations when the agent starts with the JVM and not when it is attached to a running one, for a
 * {@code -javaagent} line shared by many services: at start-up each class is instrumented as it loads, while after an
 * attach every class already loaded must be retransformed, which throws its compiled code away, a burst of
 * recompilation a running service should get only when someone asks for it ({@code allocations=on}).
 */
public enum AllocationMode {
    ON, OFF, AUTO;

    /** @param atJvmStart whether the agent starts with the JVM ({@code premain}) rather than by an attach */
    public boolean tracksWhen(boolean atJvmStart) {
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

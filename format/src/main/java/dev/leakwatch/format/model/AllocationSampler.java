package dev.leakwatch.format.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Which mechanism picked the sampled allocations, and so what {@link AllocationStats#samplingInterval()} counts.
 *
 * <p>Both feed the same tracking table and both write estimates that already account for their sampling, so the
 * analysis treats their paths alike; the sampler only changes how the interval reads.
 */
public enum AllocationSampler {
    /** Bytecode hooks at every allocation site of instrumented classes; the interval counts allocations. */
    INSTRUMENTATION("instrumentation", "allocations"),
    /**
     * The JVM's own TLAB-based heap sampler (JVMTI {@code SampledObjectAlloc}, JDK 11+): every allocation of every
     * class, no bytecode changed; the interval counts bytes.
     */
    JVM("jvm", "bytes");

    private final String wireName;
    private final String intervalUnit;

    AllocationSampler(String wireName, String intervalUnit) {
        this.wireName = wireName;
        this.intervalUnit = intervalUnit;
    }

    /** The name in snapshots, reports and the agent's {@code sampler} option. */
    public String wireName() {
        return wireName;
    }

    /** What the sampling interval counts: {@code allocations} or {@code bytes}. */
    public String intervalUnit() {
        return intervalUnit;
    }

    /** The sampler of this wire name, if any (case-insensitive). */
    public static Optional<AllocationSampler> fromWireName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (AllocationSampler sampler : values()) {
            if (sampler.wireName.equals(wanted)) {
                return Optional.of(sampler);
            }
        }
        return Optional.empty();
    }
}

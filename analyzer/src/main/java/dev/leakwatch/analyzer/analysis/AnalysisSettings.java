package dev.leakwatch.analyzer.analysis;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user chose for an analysis.
 *
 * @param warmup a fixed warm-up to leave out, or empty to let {@link Warmup} decide from the data
 * @param clock  the time stamped on the report (fixed in golden-file tests)
 */
public record AnalysisSettings(Optional<Duration> warmup, Clock clock) {
    public AnalysisSettings {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(clock, "clock");
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Optional.empty(), Clock.systemUTC());
    }

    public AnalysisSettings withWarmup(Duration fixed) {
        return new AnalysisSettings(Optional.of(fixed), clock);
    }
}

package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.format.LeakwatchVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user chose for an analysis.
 *
 * @param warmup a fixed warm-up to leave out, or empty to let {@link Warmup} decide from the data
 * @param clock   the time stamped on the report (fixed in golden-file tests)
 * @param version the leakwatch version the report names as its writer (fixed in golden-file tests)
 */
public record AnalysisSettings(Optional<Duration> warmup, Clock clock, String version) {
    public AnalysisSettings {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(version, "version");
    }

    /** Settings naming the running leakwatch's version. */
    public AnalysisSettings(Optional<Duration> warmup, Clock clock) {
        this(warmup, clock, LeakwatchVersion.current());
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Optional.empty(), Clock.systemUTC());
    }

    public AnalysisSettings withWarmup(Duration fixed) {
        return new AnalysisSettings(Optional.of(fixed), clock, version);
    }
}

package dev.leakwatch.agent.options;

import dev.leakwatch.format.Units;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's settings, parsed and validated by {@link OptionsParser}. README.md lists them for users.
 *
 * @param output     directory for snapshots and reports
 * @param interval   time between snapshots (stretched when a snapshot would cost more than {@code budget})
 * @param report     how often {@code leak-report.json} and {@code .txt} are refreshed
 * @param maxDisk    cap on the bytes of snapshot segments kept; the oldest are dropped first
 * @param warmup     a fixed warm-up to leave out of the analysis; empty: decided from the data
 * @param budget     the largest share of wall time snapshots may take (0.01 = 1%)
 * @param maxPause   the longest stop-the-world pause a live histogram may cause before the cheaper fallback
 * @param window     points kept in memory for the in-process analysis (thinned evenly beyond that)
 * @param allocations whether allocations are sampled, and whether instrumenting may change classes (auto by default)
 * @param sampler    which sampler picks the tracked allocations
 * @param sampling   mean number of allocations between two samples, for the instrumentation sampler
 * @param samplingBytes mean number of bytes allocated between two samples, for the JVM's heap sampler
 * @param maxSampleRate ceiling on samples per second (the interval is stretched beyond {@code sampling} to stay
 *                   under it, and each sample weighted by the interval in force); 0: no ceiling
 * @param include    class patterns to instrument in addition to the defaults ({@code com.acme.*}, {@code com.acme.Cache})
 * @param exclude    class patterns never to instrument
 * @param stackDepth frames recorded per sampled allocation
 * @param maxTracked cap on sampled objects tracked at once
 * @param fileMode   permissions of every file written (owner-only by default); the directory gets the matching
 *                   read and search bits, never write for others
 * @param holders    whether the agent searches who holds each suspect (its retention chains)
 * @param holdersEvery the least time between two searches for one suspect
 */
public record AgentOptions(
        Path output,
        Duration interval,
        Duration report,
        long maxDisk,
        Optional<Duration> warmup,
        double budget,
        Duration maxPause,
        int window,
        AllocationMode allocations,
        SamplerChoice sampler,
        long sampling,
        long samplingBytes,
        int maxSampleRate,
        List<String> include,
        List<String> exclude,
        int stackDepth,
        int maxTracked,
        Set<PosixFilePermission> fileMode,
        HoldersMode holders,
        Duration holdersEvery) {

    public AgentOptions {
        include = List.copyOf(include);
        fileMode = Set.copyOf(fileMode);
        exclude = List.copyOf(exclude);
    }

    /** The options in the form the agent takes them, so a user can copy them into {@code -javaagent:} or attach. */
    public String toArgumentString() {
        return "output=" + output + ",interval=" + Units.formatDuration(interval) + ",report="
                + Units.formatDuration(report)
                + ",maxDisk=" + maxDisk + ",warmup="
                + warmup.map(Units::formatDuration).orElse("auto")
                + ",budget=" + budget + ",maxPause=" + Units.formatDuration(maxPause) + ",window=" + window
                + ",allocations=" + allocations.wireName() + ",sampler=" + sampler.wireName() + ",sampling=" + sampling
                + ",samplingBytes=" + samplingBytes
                + ",maxSampleRate=" + maxSampleRate
                + (include.isEmpty() ? "" : ",include=" + String.join(";", include))
                + (exclude.isEmpty() ? "" : ",exclude=" + String.join(";", exclude))
                + ",stackDepth=" + stackDepth + ",maxTracked=" + maxTracked + ",fileMode=" + FileMode.format(fileMode)
                + ",holders=" + holders.wireName() + ",holdersEvery=" + Units.formatDuration(holdersEvery);
    }
}

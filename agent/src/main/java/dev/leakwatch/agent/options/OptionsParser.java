package dev.leakwatch.agent.options;

import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.Units;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the agent's argument string, {@code key=value} pairs separated by commas, the same string for
 * {@code -javaagent:leakwatch-agent.jar=...} and for attaching to a running JVM. Any unknown key or bad value
 * rejects the whole string: an agent running with settings the user did not ask for is worse than none.
 */
public final class OptionsParser {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /**
     * Without a {@code report} option the report is refreshed every this many intervals (1 minute at the default
     * interval): a user who shortens the interval to see a leak sooner gets reports as much sooner.
     */
    static final int DEFAULT_REPORT_INTERVALS = 2;

    static final long DEFAULT_MAX_DISK = 256L << 20;
    static final double DEFAULT_BUDGET = 0.01;
    static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(1);
    static final int DEFAULT_WINDOW = 120;
    /**
     * One allocation in this many is sampled by the instrumentation sampler. The unsampled path is a counter and a
     * branch whatever this is; what bounds the sampled path's cost (a stack walk and a weak reference) is the
     * {@code maxSampleRate} ceiling, which stretches this interval where allocations are many. So it can be small
     * enough that a leak of 30 objects a second gets a sample every few seconds: at 4096 such a leak went without
     * a single sample for two minutes (SampleDetectionIT, issue 13).
     */
    static final long DEFAULT_SAMPLING = 512;
    /**
     * One sample per this many bytes allocated, on average, for the JVM's heap sampler. Small enough that a leak of
     * a few megabytes a minute gets several samples a minute; the {@code maxSampleRate} ceiling stretches it where the
     * allocation rate would make samples too many (the JVM's own default, 512 KiB, suits profiling, not a slow leak).
     */
    static final long DEFAULT_SAMPLING_BYTES = 128 << 10;

    static final long MIN_SAMPLING_BYTES = 1 << 10;
    static final long MAX_SAMPLING_BYTES = 1L << 30;
    /**
     * At most this many samples per second, whatever the allocation rate: at 10 to 60 µs a sample, 300/s costs at
     * most about 2% of one core (typically under 1%). The allocation-heavy benchmark took about 1,500 samples/s at
     * the default sampling and spent about 8% CPU on them; a few hundred samples per second still fill a 1-minute
     * report with tens of thousands of samples.
     */
    static final int DEFAULT_MAX_SAMPLE_RATE = 300;

    static final int MAX_MAX_SAMPLE_RATE = 1_000_000;
    /** Deep enough to reach through a logging framework, a pool, a cache or a serializer to the application. */
    static final int DEFAULT_STACK_DEPTH = 24;

    static final int DEFAULT_MAX_TRACKED = 100_000;

    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /**
     * One search for a suspect's holders every 10 minutes at most: a search is a few heap walks, each a pause about as
     * long as a live histogram's (docs/measurements.md, "Retention chains"), and a leak's holders do not change.
     */
    static final Duration DEFAULT_HOLDERS_EVERY = Duration.ofMinutes(10);

    static final Duration MIN_HOLDERS_EVERY = Duration.ofSeconds(1);
    /**
     * No duration option may exceed a week: snapshots or reports further apart give no trend within any recording,
     * and the agent's deadline arithmetic (in nanoseconds, added to {@code System.nanoTime}) stays far from overflow.
     */
    static final Duration MAX_DURATION = Duration.ofDays(7);
    /** A smaller share would stretch the interval after the first snapshot beyond any recording's length. */
    static final double MIN_BUDGET = 0.0001;

    static final double MAX_BUDGET = 0.5;
    /**
     * Values and keys are echoed in messages up to this many characters: a pasted file or a runaway script must not
     * fill the user's terminal or, through an attach, the target's stderr (issue 11: 100 KB echoed as 300 KB).
     */
    static final int ECHO_LIMIT = 60;

    static final long MIN_MAX_DISK = 1L << 20;
    static final int MIN_WINDOW = 16;
    static final int MAX_WINDOW = 1024;

    private final long pid;

    /** @param pid the JVM's pid, for the default output directory {@code ./leakwatch-<pid>} */
    public OptionsParser(long pid) {
        this.pid = pid;
    }

    public AgentOptions parse(String arguments) throws OptionsException {
        Builder builder = new Builder(pid);
        Set<String> seen = new HashSet<>();
        if (arguments != null && !arguments.isBlank()) {
            for (String pair : arguments.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new OptionsException("option '" + echo(pair.trim()) + "' is not key=value (options: "
                            + String.join(", ", KEYS) + ")");
                }
                String key = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (!KEYS.contains(key)) {
                    throw new OptionsException(
                            "unknown option '" + echo(key) + "' (options: " + String.join(", ", KEYS) + ")");
                }
                if (!seen.add(key)) {
                    throw new OptionsException("option '" + key + "' is given twice");
                }
                if (value.isEmpty()) {
                    throw new OptionsException("option '" + key + "' has no value");
                }
                try {
                    set(builder, key, value);
                } catch (IllegalArgumentException e) {
                    // Units, Path and the enums echo the whole value: cut it here.
                    throw new OptionsException("option '" + key + "': "
                            + String.valueOf(e.getMessage()).replace(value, echo(value)));
                }
            }
        }
        return builder.build();
    }

    /**
     * Every option, in the order messages list them. Set through a switch rather than a map of lambdas: this runs in
     * {@code premain}, before {@code main}, where the first lambda alone bootstraps {@code java.lang.invoke} (about 150
     * JDK classes and 20 to 30 ms of the host's start-up).
     */
    static final List<String> KEYS = List.of(
            "output",
            "interval",
            "report",
            "maxDisk",
            "warmup",
            "budget",
            "maxPause",
            "window",
            "allocations",
            "sampling",
            "sampler",
            "samplingBytes",
            "maxSampleRate",
            "include",
            "exclude",
            "stackDepth",
            "maxTracked",
            "fileMode",
            "holders",
            "holdersEvery");

    private static void set(Builder b, String key, String v) {
        switch (key) {
            case "output" -> b.output = Path.of(v);
            case "interval" -> b.interval = parseDuration(v, MIN_INTERVAL);
            case "report" -> b.report = parseDuration(v, MIN_INTERVAL);
            case "maxDisk" -> {
                long size = Units.parseSize(v);
                if (size < MIN_MAX_DISK) {
                    throw new IllegalArgumentException("'" + echo(v) + "' is below the minimum of 1m");
                }
                b.maxDisk = size;
            }
            case "warmup" ->
                b.warmup = v.equals("auto") ? Optional.empty() : Optional.of(parseDuration(v, Duration.ZERO));
            case "budget" -> b.budget = parseBudget(v);
            case "maxPause" -> b.maxPause = parseDuration(v, Duration.ZERO);
            case "window" -> b.window = parseWindow(v);
            case "allocations" -> b.allocations = AllocationMode.parse(v);
            case "sampling" -> b.sampling = parseRange(v, 1, 1L << 30, "a sampling interval");
            case "sampler" -> b.sampler = SamplerChoice.parse(v);
            case "samplingBytes" -> {
                long size = Units.parseSize(v);
                if (size < MIN_SAMPLING_BYTES || size > MAX_SAMPLING_BYTES) {
                    throw new IllegalArgumentException(
                            "'" + echo(v) + "' is not a sampling interval between 1k and 1g bytes");
                }
                b.samplingBytes = size;
            }
            case "maxSampleRate" ->
                b.maxSampleRate = (int) parseRange(v, 0, MAX_MAX_SAMPLE_RATE, "a sample rate in samples per second");
            case "include" -> b.include = parsePatterns(v);
            case "exclude" -> b.exclude = parsePatterns(v);
            case "stackDepth" -> b.stackDepth = (int) parseRange(v, 4, 256, "a stack depth");
            case "maxTracked" -> b.maxTracked = (int) parseRange(v, 1_000, 10_000_000, "a tracking cap");
            case "fileMode" -> b.fileMode = FileMode.parse(v);
            case "holders" -> b.holders = HoldersMode.parse(v);
            case "holdersEvery" -> b.holdersEvery = parseDuration(v, MIN_HOLDERS_EVERY);
            default -> throw new IllegalStateException("no setter for listed option " + key);
        }
    }

    private static Duration parseDuration(String text, Duration minimum) {
        Duration value = Units.parseDuration(text);
        if (value.compareTo(minimum) < 0) {
            throw new IllegalArgumentException(
                    "'" + value.toMillis() + "ms' is below the minimum of " + minimum.toMillis() + "ms");
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "'" + echo(text) + "' is above the maximum of " + Units.formatDuration(MAX_DURATION));
        }
        return value;
    }

    private static double parseBudget(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        try {
            double budget = text.endsWith("%")
                    ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                    : Double.parseDouble(text);
            if (budget >= MIN_BUDGET && budget <= MAX_BUDGET) {
                return budget;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(
                "'" + echo(value) + "' is not a budget (a share of wall time from 0.01% to 50%," + " e.g. 1% or 0.01)");
    }

    private static long parseRange(String value, long min, long max, String what) {
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(
                "'" + echo(value) + "' is not " + what + " (a whole number from " + min + " to " + max + ")");
    }

    /** Patterns are separated by ';' because ',' separates options: {@code include=com.acme.*;org.example.Cache}. */
    private static List<String> parsePatterns(String value) {
        List<String> patterns = new ArrayList<>();
        for (String pattern : value.split(";")) {
            String trimmed = pattern.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*(\\.\\*|\\.\\*\\*)?")) {
                throw new IllegalArgumentException(
                        "'" + echo(trimmed) + "' is not a class pattern (use a class name like"
                                + " com.acme.Cache or a package like com.acme.*, separated by ';')");
            }
            patterns.add(trimmed);
        }
        return patterns;
    }

    private static int parseWindow(String value) {
        try {
            int points = Integer.parseInt(value);
            if (points >= MIN_WINDOW && points <= MAX_WINDOW) {
                return points;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + echo(value) + "' is not a window size (a whole number of points from "
                + MIN_WINDOW + " to " + MAX_WINDOW + ")");
    }

    /** The text as a message may show it: at most {@link #ECHO_LIMIT} characters, control characters as '?'. */
    static String echo(String text) {
        String shown = text.length() <= ECHO_LIMIT ? text : text.substring(0, ECHO_LIMIT) + "...";
        StringBuilder printable = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); ) {
            int c = shown.codePointAt(i);
            printable.appendCodePoint(Character.isISOControl(c) ? '?' : c);
            i += Character.charCount(c);
        }
        return printable.toString();
    }

    private static final class Builder {
        Path output;
        Duration interval = DEFAULT_INTERVAL;
        /** Null: {@link #DEFAULT_REPORT_INTERVALS} times the interval. */
        Duration report;

        long maxDisk = DEFAULT_MAX_DISK;
        Optional<Duration> warmup = Optional.empty();
        double budget = DEFAULT_BUDGET;
        Duration maxPause = DEFAULT_MAX_PAUSE;
        int window = DEFAULT_WINDOW;
        /*
         * Auto by default: a report that names the class that leaks but not the code that allocates it leaves the
         * user half way (issue 13). Auto changes no class of a running JVM, and with the JVM's sampler it costs about
         * what async-profiler's alloc,live does (README "What it costs", docs/measurements.md, measured with
         * bench/allocation-overhead.sh's "default" configuration).
         */
        AllocationMode allocations = AllocationMode.AUTO;
        /*
         * The JVM's sampler where it loads: a few percent where instrumentation costs about ten, nothing at class
         * loading, nothing retransformed on attach. It was opt-in while its callback ran Java code on the allocating
         * thread (a sample taken while that thread loaded a class once broke the class for the application); its
         * callback now only queues, and the agent's own thread does the rest.
         */
        SamplerChoice sampler = SamplerChoice.AUTO;
        long sampling = DEFAULT_SAMPLING;
        long samplingBytes = DEFAULT_SAMPLING_BYTES;
        int maxSampleRate = DEFAULT_MAX_SAMPLE_RATE;
        List<String> include = List.of();
        List<String> exclude = List.of();
        int stackDepth = DEFAULT_STACK_DEPTH;
        int maxTracked = DEFAULT_MAX_TRACKED;
        Set<PosixFilePermission> fileMode = PrivateDirectory.OWNER_ONLY;
        HoldersMode holders = HoldersMode.AUTO;
        Duration holdersEvery = DEFAULT_HOLDERS_EVERY;

        Builder(long pid) {
            output = Path.of("leakwatch-".concat(Long.toString(pid))); // concat: no invokedynamic in premain
        }

        private Duration defaultReport() {
            Duration twice = interval.multipliedBy(DEFAULT_REPORT_INTERVALS);
            return twice.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : twice;
        }

        AgentOptions build() {
            return new AgentOptions(
                    output,
                    interval,
                    report != null ? report : defaultReport(),
                    maxDisk,
                    warmup,
                    budget,
                    maxPause,
                    window,
                    allocations,
                    sampler,
                    sampling,
                    samplingBytes,
                    maxSampleRate,
                    include,
                    exclude,
                    stackDepth,
                    maxTracked,
                    fileMode,
                    holders,
                    holdersEvery);
        }
    }
}

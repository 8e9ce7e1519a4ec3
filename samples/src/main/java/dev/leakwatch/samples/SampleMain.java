package dev.leakwatch.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one sample by name: {@code SampleMain <name> [--duration 90s]}. With no arguments or {@code --list} it lists the
 * samples.
 *
 * <p>Once the program has started it prints {@code sample <name> running, pid <pid>} and flushes, so a test can wait
 * for that line instead of sleeping. Then about once a second it prints {@code sample <name>: <n> requests handled},
 * so a test can see the program still working. Without {@code --duration} it runs until killed.
 */
public final class SampleMain {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = "usage: SampleMain <name> [--duration <n>(ms|s|m|h)] | --list";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private SampleMain() {}

    public static void main(String[] args) {
        // Exit explicitly: a finished program must not wait for threads it started and forgot to stop.
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Everything {@link #main} does except exiting, so tests can see the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.equals(List.of("--list"))) {
            printList(out);
            return EXIT_OK;
        }
        if (args.equals(List.of("--help")) || args.equals(List.of("-h"))) {
            out.println(USAGE);
            return EXIT_OK;
        }
        Optional<Sample> sample = SampleCatalog.byName(args.get(0));
        if (sample.isEmpty()) {
            err.println("unknown sample '" + args.get(0) + "'; --list shows the names");
            return EXIT_USAGE;
        }
        Duration duration;
        try {
            duration = parseDuration(args.subList(1, args.size()));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "; " + USAGE);
            return EXIT_USAGE;
        }
        runSample(sample.get(), duration, out);
        return EXIT_OK;
    }

    static void printList(PrintStream out) {
        for (Sample sample : SampleCatalog.all()) {
            out.printf("%-16s %-8s %s%n", sample.name(), sample.leaks() ? "leaks" : "control", sample.description());
        }
    }

    /** Parses the options after the name: nothing (run forever, {@code null}) or {@code --duration <n>[ms|s|m|h]}. */
    static Duration parseDuration(List<String> options) {
        if (options.isEmpty()) {
            return null;
        }
        if (options.size() != 2 || !options.get(0).equals("--duration")) {
            throw new IllegalArgumentException("unexpected arguments " + options);
        }
        Matcher m = DURATION.matcher(options.get(1));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + options.get(1) + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalStateException("pattern admits unit " + unit);
        };
    }

    private static void runSample(Sample sample, Duration duration, PrintStream out) {
        try (SampleProgram program = sample.newProgram()) {
            out.println("sample " + sample.name() + " running, pid "
                    + ProcessHandle.current().pid());
            out.flush();
            RequestLoop.run(program, duration, handled -> {
                out.println("sample " + sample.name() + ": " + handled + " requests handled");
                out.flush();
            });
        }
        out.println("sample " + sample.name() + " finished after " + duration);
        out.flush();
    }
}

package dev.leakwatch.cli;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.segment.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command lines put together at random from the words the analyzer knows, values that are wrong in every way we
 * could think of, and noise: the analyzer answers each with exit 0 or 3 and a report, or exit 2 and one line on
 * stderr; never an internal error. The seed is printed first; rerun one with {@code -Dleakwatch.fuzz.seed=N}.
 */
class CommandLineFuzzTest {
    static final long SEED = Mutations.SEED;
    static final int INPUTS = Mutations.INPUTS * 15 / 100;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyCommandLineGetsAReportOrOneLineOfError() throws IOException {
        System.out.println("CommandLineFuzzTest seed " + SEED + " (rerun with -Dleakwatch.fuzz.seed=" + SEED + ")");
        SplittableRandom random = new SplittableRandom(SEED);
        Path recording = record(temp.resolve("recording"));
        Path garbage = Files.createDirectories(temp.resolve("garbage"));
        Files.write(garbage.resolve(SnapshotFormat.segmentFileName(0)), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        Path histograms = Files.createDirectories(temp.resolve("histograms"));
        Files.writeString(histograms.resolve("1.txt"), "1:\n   1:  10  160  [B\n");
        Path empty = Files.createDirectories(temp.resolve("empty"));
        List<String> paths = List.of(
                recording.toString(),
                recording.resolve(SnapshotFormat.segmentFileName(0)).toString(),
                garbage.toString(),
                histograms.toString(),
                empty.toString(),
                temp.resolve("missing").toString(),
                histograms.resolve("1.txt").toString(),
                recording + "/snapshots-99999999999999999999.jsonl.gz");
        // --out only with a value of its own (below): followed by any word, it wrote reports into the working
        // directory.
        List<String> words = List.of(
                "analyze",
                "analyse",
                "--format",
                "text",
                "json",
                "xml",
                "--warmup",
                "--help",
                "-h",
                "help",
                "--verbose",
                "-",
                "--",
                "--format=json",
                "");
        List<String> values = List.of(
                "10s",
                "0ms",
                "5m",
                "2h",
                "99999999999999h",
                "99999999999999999999h",
                "-1s",
                "1.5m",
                "10",
                "s",
                "\u0661\u0660s",
                "87600h",
                "87601h",
                "9223372036854775807ms",
                "text",
                "json");
        List<String> outs = List.of(
                temp.resolve("report.txt").toString(),
                temp.resolve("no-dir").resolve("r.txt").toString(),
                temp.toString(),
                recording.toString());
        long started = System.nanoTime();
        long cpuStarted = Mutations.cpuNanos();
        for (int i = 0; i < INPUTS; i++) {
            String[] args = commandLine(random, paths, words, values, outs);
            String what = "input " + i + " (seed " + SEED + "): " + Arrays.toString(args);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exit = AnalyzerMain.run(
                    args,
                    new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String err = stderr.toString(StandardCharsets.UTF_8);
            assertTrue(
                    exit == ExitCode.NO_LEAK
                            || exit == ExitCode.LEAK_FOUND
                            || exit == ExitCode.NOT_ENOUGH_DATA
                            || exit == ExitCode.BAD_INPUT,
                    () -> what + ": exit " + exit + ", " + err.replace("\n", "\\n"));
            if (exit == ExitCode.BAD_INPUT && !err.isEmpty()) {
                assertEquals(1, err.lines().count(), () -> what + ": " + err.replace("\n", "\\n"));
                assertTrue(err.startsWith("leakwatch: "), () -> what + ": " + err);
            }
        }
        System.out.printf(
                "CommandLineFuzzTest: %d command lines in %.1f s (%.1f s of CPU)%n",
                INPUTS, (System.nanoTime() - started) / 1e9, (Mutations.cpuNanos() - cpuStarted) / 1e9);
    }

    private static String[] commandLine(
            SplittableRandom random, List<String> paths, List<String> words, List<String> values, List<String> outs) {
        List<String> args = new ArrayList<>();
        if (random.nextInt(10) != 0) {
            args.add("analyze");
        }
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(7)) {
                case 0, 1 -> args.add(paths.get(random.nextInt(paths.size())));
                case 2 -> args.add(words.get(random.nextInt(words.size())));
                case 3 -> {
                    args.add("--warmup");
                    args.add(values.get(random.nextInt(values.size())));
                }
                case 4 -> {
                    args.add("--out");
                    args.add(outs.get(random.nextInt(outs.size())));
                }
                case 5 -> args.add(values.get(random.nextInt(values.size())));
                default -> args.add(noise(random));
            }
        }
        return args.toArray(new String[0]);
    }

    /** Any characters: control characters, line breaks, surrogates, a lot of them. */
    private static String noise(SplittableRandom random) {
        int length = random.nextInt(10) == 0 ? 5000 : random.nextInt(12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(Character.MAX_VALUE)));
        }
        return text.toString();
    }

    /** A short recording that leaks, written as the agent writes it. */
    private static Path record(Path directory) throws IOException {
        List<Snapshot> snapshots = SyntheticRecording.create()
                .every(Duration.ofMinutes(1))
                .lasting(Duration.ofMinutes(40))
                .withObjects("com.acme.Session", 40, linear(1_000, 3_000))
                .withObjects("java.lang.String", 24, constant(400_000))
                .snapshots();
        Files.createDirectories(directory);
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (Snapshot snapshot : snapshots) {
            try (GZIPOutputStream gzip = new GZIPOutputStream(segment)) {
                gzip.write(SnapshotCodec.encode(snapshot));
            }
        }
        Files.write(directory.resolve(SnapshotFormat.segmentFileName(0)), segment.toByteArray());
        return directory;
    }
}

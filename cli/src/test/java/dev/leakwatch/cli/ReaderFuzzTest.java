package dev.leakwatch.cli;

import static dev.leakwatch.format.segment.Fixtures.MINUTE;
import static dev.leakwatch.format.segment.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.jcmd.JcmdHistogramParser;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.Fixtures;
import dev.leakwatch.format.segment.InputException;
import dev.leakwatch.format.segment.Mutations;
import dev.leakwatch.format.segment.SnapshotDirectoryReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input of every kind the readers take, generated from real fixtures: the readers may refuse it only with
 * the documented {@link InputException}, may not hang, and must keep every record the damage did not touch.
 *
 * <p>Each test is bounded by a timeout, which is what catches a hang: twice what its share of the inputs takes on
 * a machine of two cores shared by five busy builds (the printed CPU time is the figure to compare). The seed is printed first; rerun one with {@code -Dleakwatch.fuzz.seed=N}, and change the number of inputs with
 * {@code -Dleakwatch.fuzz.inputs=N} (default 100,000 for all the readers together: 60% segments, 20% histograms
 * here, 15% command lines in {@code CommandLineFuzzTest}, 5% reports in {@code ReportReadBackFuzzTest}).
 */
class ReaderFuzzTest {
    static final long SEED = Mutations.SEED;
    static final int INPUTS = Mutations.INPUTS;
    private static final long PID = 4123;
    private static final int GENERATED_RECORDS = 8;

    @TempDir
    Path dir;

    private static final List<byte[]> MEMBERS = new ArrayList<>();
    private static byte[] generatedSegment;
    private static byte[] fixtureSegment;
    private static byte[] plainSegment;
    private static int[] generatedMemberEnds;

    @BeforeAll
    static void fixtures() throws IOException {
        MEMBERS.clear();
        System.out.println("ReaderFuzzTest seed " + SEED + " (rerun with -Dleakwatch.fuzz.seed=" + SEED + ")");
        List<Snapshot> generated = Fixtures.run(PID, T0 - 5 * MINUTE, T0, GENERATED_RECORDS);
        generatedSegment = Fixtures.gzipSegment(generated);
        generatedMemberEnds = new int[generated.size()];
        int end = 0;
        for (int i = 0; i < generated.size(); i++) {
            end += Fixtures.gzipMember(generated.get(i)).length;
            generatedMemberEnds[i] = end;
        }
        List<String> lines = fixtureLines();
        StringBuilder plain = new StringBuilder();
        byte[] members = new byte[0];
        for (String line : lines) {
            byte[] member = Fixtures.gzip((line + "\n").getBytes(StandardCharsets.UTF_8));
            MEMBERS.add(member);
            members = Fixtures.concat(members, member);
            plain.append(line).append('\n');
        }
        generated.forEach(snapshot -> MEMBERS.add(Fixtures.gzipMember(snapshot)));
        fixtureSegment = members;
        plainSegment = plain.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The records of the pinned format fixtures of versions 4 and 5 (with allocations, samplers and agent-owned rows),
     * renumbered as one run so that none is a duplicate of another.
     */
    private static List<String> fixtureLines() throws IOException {
        Pattern identity = Pattern.compile("\"sequence\":7,\"time\":1795600000000,\"uptimeMs\":65000,");
        List<String> lines = new ArrayList<>();
        for (int version = 4; version <= 5; version++) {
            try (InputStream in = ReaderFuzzTest.class.getResourceAsStream("/format/snapshot-v" + version + ".jsonl")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    Matcher matcher = identity.matcher(line);
                    if (matcher.find()) {
                        int k = lines.size();
                        lines.add(matcher.replaceFirst("\"sequence\":" + k + ",\"time\":"
                                + (1795600000000L + k * MINUTE) + ",\"uptimeMs\":" + (65000 + k * MINUTE) + ","));
                    }
                }
            }
        }
        return lines;
    }

    /** 60% of the inputs: segments as the agent writes them, and hand-made plain ones. */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void damagedSegmentsAreReadAroundTheDamage() {
        SplittableRandom random = new SplittableRandom(SEED);
        Mutations mutations = new Mutations(random);
        SnapshotDirectoryReader reader = new SnapshotDirectoryReader();
        long generatedRecords = read(reader, "snapshots-000000.jsonl.gz", generatedSegment, "base")
                .recordsRead();
        long fixtureRecords = read(reader, "snapshots-000000.jsonl.gz", fixtureSegment, "base")
                .recordsRead();
        long plainRecords =
                read(reader, "snapshots-000000.jsonl", plainSegment, "base").recordsRead();
        assertEquals(GENERATED_RECORDS, generatedRecords);
        assertEquals(fixtureRecords, plainRecords);
        int inputs = INPUTS * 6 / 10;
        long started = System.nanoTime();
        long cpuStarted = Mutations.cpuNanos();
        for (int i = 0; i < inputs; i++) {
            int which = i % 3;
            byte[] base = which == 0 ? generatedSegment : which == 1 ? fixtureSegment : plainSegment;
            String name = which == 2 ? "snapshots-000000.jsonl" : "snapshots-000000.jsonl.gz";
            long intact = which == 0 ? generatedRecords : which == 1 ? fixtureRecords : plainRecords;
            Mutations.Mutant mutant = mutations.any(base, MEMBERS);
            String what = "input " + i + " (seed " + SEED + "): " + name + " with " + mutant.description();
            SnapshotSeries series = read(reader, name, mutant.bytes(), what);
            if (series == null) {
                continue;
            }
            if (mutant.singleByte() && which != 2) {
                assertTrue(
                        series.recordsRead() >= intact - 1, what + ": read " + series.recordsRead() + " of " + intact);
            }
            if (mutant.cutAt() >= 0 && which == 0) {
                long before = java.util.Arrays.stream(generatedMemberEnds)
                        .filter(e -> e <= mutant.cutAt())
                        .count();
                assertTrue(
                        series.recordsRead() >= before,
                        what + ": read " + series.recordsRead() + ", " + before + " records end before the cut");
            }
        }
        System.out.printf(
                "ReaderFuzzTest: %d damaged segments read in %.1f s (%.1f s of CPU)%n",
                inputs, (System.nanoTime() - started) / 1e9, (Mutations.cpuNanos() - cpuStarted) / 1e9);
    }

    /** A series, or null for an {@link InputException}, the one failure a reader documents. */
    private static SnapshotSeries read(SnapshotDirectoryReader reader, String name, byte[] bytes, String what) {
        try {
            return reader.readSegment(name, bytes);
        } catch (InputException e) {
            assertEquals(1, e.getMessage().lines().count(), what + ": " + e.getMessage());
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    /** 20% of the inputs: jcmd histogram text, damaged in its rows and in its header lines. */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void damagedHistogramFilesAreSkippedOrRefusedInOneLine() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Mutations mutations = new Mutations(random);
        HistogramFilesReader reader = new HistogramFilesReader();
        List<byte[]> texts = new ArrayList<>();
        String[] histograms = {
            HistogramFilesReaderTest.FIRST, HistogramFilesReaderTest.SECOND, HistogramFilesReaderTest.THIRD
        };
        for (int i = 0; i < histograms.length; i++) {
            texts.add(("# time: 2026-11-25T10:00:0" + 3 * i + "Z\n" + histograms[i]).getBytes(StandardCharsets.UTF_8));
        }
        Path intact = Files.write(dir.resolve("1.txt"), texts.get(0));
        Path damaged = dir.resolve("2.txt");
        List<Path> files = List.of(intact, damaged);
        int inputs = INPUTS * 2 / 10;
        long started = System.nanoTime();
        long cpuStarted = Mutations.cpuNanos();
        for (int i = 0; i < inputs; i++) {
            byte[] text = texts.get(random.nextInt(texts.size()));
            Mutations.Mutant mutant = random.nextInt(4) == 0 ? numberGrown(random, text) : mutations.any(text, texts);
            Files.write(damaged, mutant.bytes());
            String what = "input " + i + " (seed " + SEED + "): histogram with " + mutant.description();
            try {
                reader.readFiles(files);
            } catch (InputException e) {
                assertEquals(1, e.getMessage().lines().count(), what + ": " + e.getMessage());
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + ": " + e, e);
            }
            try {
                JcmdHistogramParser.parse(new String(mutant.bytes(), StandardCharsets.UTF_8), HistogramKind.LIVE);
            } catch (IllegalArgumentException e) {
                // documented: no rows, or a value no JVM prints
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + ": parser: " + e, e);
            }
        }
        System.out.printf(
                "ReaderFuzzTest: %d damaged histogram sets read in %.1f s (%.1f s of CPU)%n",
                inputs, (System.nanoTime() - started) / 1e9, (Mutations.cpuNanos() - cpuStarted) / 1e9);
    }

    /** A number in the text made longer, the damage that turns a count into nonsense without breaking the layout. */
    private static Mutations.Mutant numberGrown(SplittableRandom random, byte[] text) {
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            if (text[i] >= '0' && text[i] <= '9') {
                digits.add(i);
            }
        }
        int at = digits.get(random.nextInt(digits.size()));
        byte[] more = new byte[1 + random.nextInt(25)];
        for (int i = 0; i < more.length; i++) {
            more[i] = (byte) ('0' + random.nextInt(10));
        }
        return new Mutations.Mutant(
                Mutations.splice(text, at, at, more), more.length + " digits inserted at " + at, false, -1);
    }
}

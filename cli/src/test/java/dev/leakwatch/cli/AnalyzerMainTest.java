package dev.leakwatch.cli;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a CI pipeline uses it: exit 3 on a leak, 0 without, 4 when the recording is too short for a
 * verdict, 2 and one line on stderr for every mistake a user can make. Recordings are written the way the agent writes them: one gzip member per record.
 */
class AnalyzerMainTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) {
        return AnalyzerMain.run(
                args,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** Exit 2 with exactly one line on stderr, prefixed with the tool's name, and nothing on stdout. */
    private String assertUsageError(String... args) {
        stdout.reset();
        stderr.reset();
        assertEquals(ExitCode.BAD_INPUT, run(args), () -> "stderr: " + err());
        String err = err();
        assertTrue(err.startsWith("leakwatch: "), err);
        assertTrue(err.endsWith(System.lineSeparator()), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertEquals("", out());
        return err.strip();
    }

    private static SyntheticRecording leaking() {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .withObjects("com.acme.Session", 40, linear(1_000, 3_000))
                .withClass(
                        "byte[]",
                        linear(1_000, 3_000).times(512).plus(constant(8 * MB)).plus(noise(100 * KB, 9)),
                        linear(41_000, 3_000));
    }

    private static SyntheticRecording flat() {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .withObjects("com.acme.Session", 40, constant(1_000));
    }

    /** Writes the snapshots as the agent does: segments of 100 records, each record its own gzip member. */
    private Path record(String name, List<Snapshot> snapshots) throws IOException {
        Path directory = Files.createDirectories(temp.resolve(name));
        for (int from = 0, segment = 0; from < snapshots.size(); from += 100, segment++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (Snapshot snapshot : snapshots.subList(from, Math.min(from + 100, snapshots.size()))) {
                bytes.writeBytes(gzipMember(SnapshotCodec.encode(snapshot)));
            }
            Files.write(directory.resolve(SnapshotFormat.segmentFileName(segment)), bytes.toByteArray());
        }
        return directory;
    }

    private static byte[] gzipMember(byte[] record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(record);
        }
        return bytes.toByteArray();
    }

    // ---- verdicts and exit codes ----

    @Test
    void aLeakingRecordingExits3AndNamesTheSuspect() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        assertEquals(ExitCode.LEAK_FOUND, run("analyze", recording.toString()), () -> "stderr: " + err());
        assertTrue(out().startsWith("leakwatch report: leak-suspected."), out());
        assertTrue(out().contains("#1 com.acme.Session"), out());
        assertEquals("", err());
    }

    @Test
    void theSummaryKeepsTo100ColumnsAndEndsWithTheHtmlPage() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        Path page = temp.resolve("report.html");
        assertEquals(
                ExitCode.LEAK_FOUND,
                run("analyze", recording.toString(), "--format", "summary", "--html", page.toString()),
                () -> "stderr: " + err());
        List<String> lines = out().lines().toList();
        assertTrue(lines.get(0).startsWith("leakwatch: leak-suspected."), out());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("#1 com.acme.Session ")), out());
        lines.forEach(line -> assertTrue(line.length() <= 100, line));
        assertEquals("HTML report: " + page, lines.get(lines.size() - 1));
        String html = Files.readString(page);
        assertTrue(html.contains("<code class=\"class-name\">com.acme.Session</code>"), "the page names the suspect");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(page)));
    }

    @Test
    void htmlIsAFormatToo() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        assertEquals(ExitCode.LEAK_FOUND, run("analyze", recording.toString(), "--format=html"), this::err);
        assertTrue(out().startsWith("<!DOCTYPE html>"), out());
        assertTrue(out().contains("id=\"suspect-1\""));
    }

    @Test
    void diffOfOneRecordingComparesItsFirstAndNewestSnapshots() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        assertEquals(ExitCode.NO_LEAK, run("diff", recording.toString(), "--format", "json"), this::err);
        assertTrue(out().contains("\"source\" : \"" + recording + " (first snapshot)\""), out());
        int session = out().indexOf("\"className\" : \"com.acme.Session\"");
        assertTrue(session > 0, out());
        assertTrue(out().substring(session).matches("(?s)[^}]*\"bytesChange\" : [1-9][0-9]*,.*"), out());
    }

    @Test
    void aFlatRecordingExits0() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(ExitCode.NO_LEAK, run("analyze", recording.toString()), () -> "stderr: " + err());
        assertTrue(out().startsWith("leakwatch report: no-leak-found."), out());
        assertEquals("", err());
    }

    @Test
    void aRecordingTooShortForAVerdictExits4AndSaysSo() throws IOException {
        Path recording = record(
                "short", leaking().lasting(java.time.Duration.ofSeconds(6)).snapshots());
        assertEquals(ExitCode.NOT_ENOUGH_DATA, run("analyze", recording.toString(), "--format", "json"));
        assertTrue(out().contains("\"verdict\" : \"not-enough-data\""), out());
    }

    @Test
    void jsonOutputParsesAsAReport() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        assertEquals(ExitCode.LEAK_FOUND, run("analyze", recording.toString(), "--format", "json"));
        LeakReport report = ReportJson.read(out());
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        assertEquals("com.acme.Session", report.suspects().get(0).className());
        assertEquals(recording.toString(), report.source());
        assertEquals(301, report.snapshots().recordsRead());
        assertEquals(4242L, report.snapshots().pid());
    }

    @Test
    void outWritesTheReportToAFileInsteadOfStdout() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        Path report = temp.resolve("reports").resolve("leak-report.json");
        Files.createDirectories(report.getParent());
        assertEquals(
                ExitCode.LEAK_FOUND,
                run("analyze", "--format", "json", "--out", report.toString(), recording.toString()));
        assertEquals("", out());
        assertEquals(
                "com.acme.Session",
                ReportJson.read(Files.readString(report)).suspects().get(0).className());
        try (var entries = Files.list(report.getParent())) {
            assertEquals(List.of(report), entries.toList(), "no temporary file left beside the report");
        }
    }

    @Test
    void warmupOptionReachesTheAnalysis() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        assertEquals(ExitCode.LEAK_FOUND, run("analyze", recording.toString(), "--format", "json", "--warmup", "2m"));
        LeakReport report = ReportJson.read(out());
        assertEquals("option", report.snapshots().warmupRule());
        assertEquals(120.0, report.snapshots().warmupSeconds(), 4.0);
    }

    @Test
    void aSingleSegmentFileCanBeAnalysed() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        Path segment = recording.resolve(SnapshotFormat.segmentFileName(0));
        // The first segment alone holds 100 records, 200 s of a steady leak.
        assertEquals(
                ExitCode.LEAK_FOUND, run("analyze", segment.toString(), "--format", "json"), () -> "stderr: " + err());
        LeakReport report = ReportJson.read(out());
        assertEquals(segment.toString(), report.source());
        assertEquals(100, report.snapshots().recordsRead());
    }

    // ---- jcmd histograms ----

    @Test
    void aDirectoryOfJcmdHistogramsIsAnalysed() throws IOException {
        Path directory = Files.createDirectories(temp.resolve("histograms"));
        Instant start = Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < 31; i++) {
            long sessions = 1_000 + 1_000L * i;
            long strings = 400_000 + (i % 3) * 700;
            String text = String.format(
                    Locale.ROOT,
                    """
                    # time: %s
                    4123:
                     num     #instances         #bytes  class name (module)
                    -------------------------------------------------------
                       1:        %7d       %8d  [B (java.base@17.0.15)
                       2:        %7d       %8d  java.lang.String (java.base@17.0.15)
                       3:        %7d       %8d  com.acme.Session
                       4:           1200          38400  [Ljava.lang.Object; (java.base@17.0.15)
                    Total        %7d       %8d
                    """,
                    start.plusSeconds(20L * i),
                    sessions + 40_000,
                    512 * sessions + 8 * MB,
                    strings,
                    24 * strings,
                    sessions,
                    40 * sessions,
                    0,
                    0);
            Files.writeString(directory.resolve("histo-" + i + ".txt"), text);
        }
        assertEquals(
                ExitCode.LEAK_FOUND,
                run("analyze", directory.toString(), "--format", "json"),
                () -> "stderr: " + err());
        LeakReport report = ReportJson.read(out());
        assertEquals("com.acme.Session", report.suspects().get(0).className());
        assertTrue(
                report.suspects().get(0).relatedClasses().stream()
                        .anyMatch(r -> r.className().equals("byte[]")),
                "jcmd's [B is reported as byte[]: " + report.suspects().get(0).relatedClasses());
        assertEquals(31, report.snapshots().recordsRead());
        assertEquals(4123L, report.snapshots().pid());
        assertEquals("17.0.15", report.snapshots().jvm());
        assertEquals("share-of-span", report.snapshots().warmupRule(), "no gauges in jcmd output");
        assertEquals(start.toString(), report.snapshots().first());
    }

    // ---- user mistakes: exit 2, one line on stderr ----

    @Test
    void missingPath() {
        assertEquals(
                "leakwatch: missing PATH: the directory to analyze (see: java -jar leakwatch-analyzer.jar analyze --help)",
                assertUsageError("analyze"));
    }

    @Test
    void nonexistentDirectory() {
        Path missing = temp.resolve("no-such-recording");
        assertEquals("leakwatch: " + missing + " does not exist", assertUsageError("analyze", missing.toString()));
    }

    @Test
    void emptyDirectory() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        String message = assertUsageError("analyze", empty.toString());
        assertTrue(message.contains("the directory is empty"), message);
        assertTrue(message.contains("snapshots-*.jsonl.gz"), "says what was expected: " + message);
    }

    @Test
    void unknownOption() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(
                "leakwatch: unknown option '--verbose' (options: --format, --out, --html, --warmup, --help; see: java -jar leakwatch-analyzer.jar analyze --help)",
                assertUsageError("analyze", recording.toString(), "--verbose"));
    }

    @Test
    void unknownCommand() {
        assertEquals(
                "leakwatch: unknown command 'analyse' (the commands are 'analyze' and 'diff'; see: java -jar leakwatch-analyzer.jar --help)",
                assertUsageError("analyse", "somewhere"));
    }

    @Test
    void badFormat() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(
                "leakwatch: --format must be text, json, html or summary, not 'xml'",
                assertUsageError("analyze", recording.toString(), "--format", "xml"));
    }

    @Test
    void optionWithoutItsValue() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(
                "leakwatch: --format needs a value (see: java -jar leakwatch-analyzer.jar analyze --help)",
                assertUsageError("analyze", recording.toString(), "--format"));
    }

    @Test
    void badWarmup() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(
                "leakwatch: --warmup: 'soon' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)",
                assertUsageError("analyze", recording.toString(), "--warmup", "soon"));
    }

    /** Issue 11: a usage error, not an ArithmeticException reported as an internal error. */
    @Test
    void aWarmupLongerThanAnyRecording() throws IOException {
        Path recording = record("flat", flat().snapshots());
        assertEquals(
                "leakwatch: --warmup: '1000000h' is longer than any recording (at most 87600h)",
                assertUsageError("analyze", recording.toString(), "--warmup", "1000000h"));
        // Beyond a long of nanoseconds (about 292 years) the duration itself is refused first.
        assertEquals(
                "leakwatch: --warmup: '99999999999999h' is too large",
                assertUsageError("analyze", recording.toString(), "--warmup", "99999999999999h"));
        assertEquals(
                "leakwatch: --warmup: '99999999999999999999h' is too large",
                assertUsageError("analyze", recording.toString(), "--warmup", "99999999999999999999h"));
    }

    /** Issue 11: a usage error, not a NumberFormatException reported as an internal error. */
    @Test
    void aSegmentNumberTooLargeForAnySegment() throws IOException {
        Path recording = record("flat", flat().snapshots());
        Path odd = Files.createFile(recording.resolve("snapshots-99999999999999999999.jsonl.gz"));
        assertEquals(
                "leakwatch: " + odd + ": segment number too large (the agent numbers segments from "
                        + "snapshots-000000.jsonl.gz up); rename or remove the file",
                assertUsageError("analyze", recording.toString()));
        assertEquals(
                "leakwatch: " + odd + ": segment number too large (the agent numbers segments from "
                        + "snapshots-000000.jsonl.gz up); rename or remove the file",
                assertUsageError("analyze", odd.toString()));
    }

    /** Issue 11: a record of 2^63-1 bytes, analysed, makes a flat recording "grow by 270660.8 GB per minute", exit 0. */
    @Test
    void aRecordOfImpossibleSizeIsSkippedNotAnalysed() throws IOException {
        List<Snapshot> snapshots = flat().snapshots();
        Path recording = record("impossible", snapshots);
        String forged = new String(SnapshotCodec.encode(snapshots.get(snapshots.size() - 1)), StandardCharsets.UTF_8)
                .replaceFirst(
                        "\\[\"com\\.acme\\.Session\",(\\d+),\\d+\\]", "[\"com.acme.Session\",$1,9223372036854775807]")
                .replaceFirst("\"sequence\":\\d+", "\"sequence\":999999");
        assertTrue(forged.contains("9223372036854775807"), forged);
        Files.write(
                recording.resolve(SnapshotFormat.segmentFileName(99)),
                gzipMember(forged.getBytes(StandardCharsets.UTF_8)));

        assertEquals(ExitCode.NO_LEAK, run("analyze", recording.toString(), "--format", "json"), err());
        LeakReport report = ReportJson.read(out());
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict(), report.summary());
        assertEquals(1, report.snapshots().skippedRecords());
        assertTrue(
                report.warnings().stream().anyMatch(w -> w.contains("has bytes 9223372036854775807")),
                report.warnings().toString());
    }

    /** From CommandLineFuzzTest: a NUL is a usage error, not an InvalidPathException (exit 1); a line break stays one line. */
    @Test
    void argumentsNoPathCanHoldAreOneLineOfError() {
        assertEquals(
                "leakwatch: 'rec\\u0000ording' is not a path here (Nul character not allowed)",
                assertUsageError("analyze", "rec\u0000ording"));
        assertEquals(
                "leakwatch: --out: 'r\\u0000.txt' is not a path here (Nul character not allowed)",
                assertUsageError("analyze", temp.toString(), "--out", "r\u0000.txt"));
        assertEquals(
                "leakwatch: unknown option '--for\\nmat' (options: --format, --out, --html, --warmup, --help; see: java -jar leakwatch-analyzer.jar analyze --help)",
                assertUsageError("analyze", temp.toString(), "--for\nmat"));
    }

    @Test
    void twoPathsOneOfThemMissingIsOneLineNamingIt() throws IOException {
        Path recording = record("flat", flat().snapshots());
        String message = assertUsageError("analyze", recording.toString(), "other");
        assertEquals("leakwatch: other does not exist", message);
        message = assertUsageError("analyze", recording.toString(), recording.toString());
        assertTrue(message.contains("given twice"), message);
    }

    @Test
    void outIntoAMissingDirectory() throws IOException {
        Path recording = record("flat", flat().snapshots());
        Path report = temp.resolve("no-such-dir").resolve("report.txt");
        String message = assertUsageError("analyze", recording.toString(), "--out", report.toString());
        assertTrue(message.contains("does not exist"), message);
        assertFalse(Files.exists(report.getParent()));
    }

    @Test
    void aRecordingOfANewerSchemaVersionIsRefusedNotSkipped() throws IOException {
        List<Snapshot> snapshots = flat().snapshots();
        Path recording = record("newer", snapshots);
        String newer = new String(SnapshotCodec.encode(snapshots.get(0)), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":" + SnapshotFormat.CURRENT_VERSION + ",", "\"schemaVersion\":99,");
        Files.write(
                recording.resolve(SnapshotFormat.segmentFileName(7)),
                gzipMember(newer.getBytes(StandardCharsets.UTF_8)));
        String message = assertUsageError("analyze", recording.toString());
        assertTrue(message.contains("schemaVersion 99 is newer than this analyzer reads"), message);
        assertTrue(message.contains("use a newer leakwatch analyzer"), message);
    }

    /** The one table of README.md, "Exit codes": the same numbers as the attach client's report command. */
    @Test
    void everyVerdictHasItsExitCode() {
        assertEquals(0, AnalyzerCommand.exitCode(Verdict.NO_LEAK_FOUND));
        assertEquals(3, AnalyzerCommand.exitCode(Verdict.LEAK_SUSPECTED));
        assertEquals(4, AnalyzerCommand.exitCode(Verdict.NOT_ENOUGH_DATA));
        assertEquals(
                List.of(0, 1, 2, 3, 4),
                List.of(
                        ExitCode.NO_LEAK,
                        ExitCode.INTERNAL_ERROR,
                        ExitCode.BAD_INPUT,
                        ExitCode.LEAK_FOUND,
                        ExitCode.NOT_ENOUGH_DATA));
    }

    // ---- options as --opt value and --opt=value ----

    @Test
    void optionsTakeTheirValueAfterAnEqualsSignToo() throws IOException {
        Path recording = record("leaking", leaking().snapshots());
        Path report = temp.resolve("report.json");
        assertEquals(
                ExitCode.LEAK_FOUND,
                run("analyze", "--format=json", "--warmup=2m", "--out=" + report, recording.toString()),
                () -> "stderr: " + err());
        assertEquals(
                Verdict.LEAK_SUSPECTED,
                ReportJson.read(Files.readString(report)).verdict());
        assertEquals("", out());
        assertEquals("", err());
    }

    @Test
    void anOperandThatStartsWithADashFollowsTwoDashes() throws IOException {
        Path recording = record("-odd", flat().snapshots());
        assertEquals(
                ExitCode.NO_LEAK,
                run("analyze", "--format", "json", "--", recording.toString()),
                () -> "stderr: " + err());
    }

    @Test
    void anUnknownOptionWithAValueIsNamedAsTyped() {
        assertEquals(
                "leakwatch: unknown option '--colour=never' (options: --format, --out, --html, --warmup, --help; see: java -jar"
                        + " leakwatch-analyzer.jar analyze --help)",
                assertUsageError("analyze", temp.toString(), "--colour=never"));
    }

    @Test
    void anEmptyValueAfterTheEqualsSignIsRefusedByItsOption() {
        assertEquals(
                "leakwatch: --format must be text, json, html or summary, not ''",
                assertUsageError("analyze", temp.toString(), "--format="));
    }

    // ---- help, version, and hints that name the command typed ----

    @Test
    void helpExits0WithUsageOnStdout() {
        for (List<String> args : List.of(
                List.of("--help"),
                List.of("-h"),
                List.of("help"),
                List.of("help", "analyze"),
                List.of("analyze", "--help"),
                List.of("analyze", "-h"),
                List.of("analyze", "some-dir", "--bogus", "--help"))) {
            stdout.reset();
            stderr.reset();
            assertEquals(ExitCode.NO_LEAK, run(args.toArray(String[]::new)), args::toString);
            assertTrue(out().startsWith("usage: java -jar leakwatch-analyzer.jar analyze PATH"), out());
            assertTrue(out().contains("--format F "), out());
            assertTrue(out().contains("--warmup D "), out());
            assertTrue(out().contains(AnalyzerCommand.EXIT_STATUS), out());
            assertEquals("", err());
        }
        assertTrue(
                AnalyzerCommand.EXIT_STATUS.contains(
                        "0 no leak found, 3 leak suspected, 4 not enough data, 2 bad input or usage, 1 internal error"),
                AnalyzerCommand.EXIT_STATUS);
    }

    @Test
    void helpOnAnotherCommandSaysWhichThereIs() {
        String message = assertUsageError("help", "attach");
        assertTrue(
                message.startsWith("leakwatch: no help on 'attach': the commands here are 'analyze' and 'diff'"),
                message);
    }

    @Test
    void noArgumentsShowUsageAndExit2() {
        assertEquals(ExitCode.BAD_INPUT, run());
        assertTrue(out().startsWith("usage:"), out());
    }

    @Test
    void versionIsOneLine() {
        assertEquals(ExitCode.NO_LEAK, run("--version"));
        assertEquals(Invocation.version() + System.lineSeparator(), out());
        assertTrue(out().startsWith("leakwatch "), out());
        assertEquals("", err());
    }

    @Test
    void throughTheLauncherHintsNameTheLauncher() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        AnalyzerCommand command = new AnalyzerCommand(
                new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                "leakwatch");
        assertEquals(ExitCode.BAD_INPUT, command.run(new String[] {"analyze"}));
        assertEquals(
                "leakwatch: missing PATH: the directory to analyze (see: leakwatch analyze --help)",
                errBytes.toString(StandardCharsets.UTF_8).strip());
        assertEquals(ExitCode.NO_LEAK, command.run(new String[] {"analyze", "--help"}));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("usage: leakwatch analyze PATH"));
    }
}

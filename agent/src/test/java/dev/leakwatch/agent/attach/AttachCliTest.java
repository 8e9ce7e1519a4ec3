package dev.leakwatch.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider;
import org.junit.jupiter.api.Test;

/**
 * The attach client's command line without a target: help, version, options, mistakes, exit statuses; and what the
 * commands print of the target's answer: its lines, and nothing from the target as terminal codes.
 */
class AttachCliTest {
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int runAs(String program, String... args) {
        stdout.reset();
        stderr.reset();
        return new AttachCli(
                        new PrintStream(stdout, true, StandardCharsets.UTF_8),
                        new PrintStream(stderr, true, StandardCharsets.UTF_8),
                        new AttachClient(Path.of("/nonexistent/leakwatch-agent.jar"), AttachmentProvider.DEFAULT),
                        program)
                .run(args);
    }

    private int run(String... args) {
        return runAs(AttachInvocation.JAR_COMMAND, args);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** Exit 2, exactly one line on stderr starting with 'leakwatch: ', nothing on stdout. */
    private String assertUsageError(String... args) {
        assertEquals(2, run(args), this::err);
        assertEquals("", out());
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("leakwatch: "), err());
        return err().strip();
    }

    @Test
    void theAnswersLinesStayAndTheirControlCharactersAreShown() {
        String status =
                "recording to /tmp/lw\nreport: leak-suspected: com.acme.X\u001b[2J\rgrows\n\nallocations: off\n";

        assertEquals(
                "recording to /tmp/lw" + NL + "report: leak-suspected: com.acme.X\\u001b[2J\\rgrows" + NL + NL
                        + "allocations: off" + NL,
                AttachCli.terminalLines(status));
    }

    @Test
    void anAnswerWithoutAFinalLineBreakGetsOne() {
        assertEquals("stopped" + NL, AttachCli.terminalLines("stopped"));
    }

    // ---- help and version ----

    @Test
    void everyCommandAnswersHelpWithItsOwnUsage() {
        for (ClientCommand command : ClientCommand.values()) {
            String name = command.wireName();
            for (List<String> args : List.of(
                    List.of(name, "--help"),
                    List.of(name, "-h"),
                    List.of("help", name),
                    List.of(name, "123", "--help"))) {
                assertEquals(0, run(args.toArray(String[]::new)), () -> args + ": " + err());
                assertTrue(out().startsWith("usage: java -jar leakwatch-agent.jar " + name), out());
                assertTrue(out().contains("--help"), out());
                assertTrue(out().contains("exit status: "), out());
                assertEquals("", err());
            }
        }
        run("status", "--help");
        assertTrue(out().contains("--format F"), out());
        run("report", "--help");
        assertTrue(out().contains("3 leak suspected, 4 not enough data, 17 leakwatch not recording there"), out());
        run("stop", "--help");
        assertFalse(out().contains("--format"), out());
    }

    @Test
    void helpWithoutACommandListsThemAllAndTheExitTable() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: java -jar leakwatch-agent.jar COMMAND [ARGS]"), out());
        for (ClientCommand command : ClientCommand.values()) {
            assertTrue(out().contains(NL.equals("\n") ? "\n  " + command.wireName() : command.wireName()), out());
        }
        assertTrue(out().contains(AttachCli.EXIT_STATUS), out());
        assertEquals(2, run());
        assertTrue(out().startsWith("usage: "), out());
    }

    @Test
    void versionIsOneLine() {
        assertEquals(0, run("--version"));
        assertEquals(AttachInvocation.version() + NL, out());
        assertTrue(out().startsWith("leakwatch "), out());
        assertEquals("", err());
    }

    // ---- options and mistakes ----

    @Test
    void unknownOptionsSayWhichAreKnown() {
        assertEquals(
                "leakwatch: unknown option '--colour' (options: --format, --help; see: java -jar leakwatch-agent.jar"
                        + " status --help)",
                assertUsageError("status", "123", "--colour"));
        assertEquals(
                "leakwatch: unknown option '--format=json' (options: --help; see: java -jar leakwatch-agent.jar stop"
                        + " --help)",
                assertUsageError("stop", "123", "--format=json"));
    }

    @Test
    void waitTakesATimeLimitAndAMistakeIsSaidBeforeAnythingIsAttached() {
        assertEquals(
                "leakwatch: --wait takes how long to follow the report, like 30m or 2h, not 'soon' (see: java -jar"
                        + " leakwatch-agent.jar attach --help)",
                assertUsageError("attach", "999999999", "--wait", "soon"));
        assertTrue(assertUsageError("attach", "999999999", "--wait=0s").contains("not '0s'"));
        assertTrue(assertUsageError("attach", "999999999", "--wait").contains("--wait needs a value"));
        assertTrue(assertUsageError("status", "999999999", "--wait", "1m").contains("unknown option '--wait'"));
    }

    @Test
    void aBadOrMissingFormatIsAUsageError() {
        assertEquals(
                "leakwatch: --format must be text or json, not 'xml'",
                assertUsageError("report", "--format=xml", "123"));
        assertEquals(
                "leakwatch: --format needs a value (see: java -jar leakwatch-agent.jar list --help)",
                assertUsageError("list", "--format"));
    }

    @Test
    void operandsAreCounted() {
        assertEquals(
                "leakwatch: status needs a PID (see: java -jar leakwatch-agent.jar list)", assertUsageError("status"));
        assertEquals(
                "leakwatch: too many arguments for stop (see: java -jar leakwatch-agent.jar stop --help)",
                assertUsageError("stop", "1", "2"));
        assertEquals(
                "leakwatch: unknown command 'frobnicate' (commands: list, attach, status, snapshot, report, holders, stop; see:"
                        + " java -jar leakwatch-agent.jar --help)",
                assertUsageError("frobnicate"));
        assertTrue(assertUsageError("help", "frobnicate").startsWith("leakwatch: unknown command 'frobnicate'"));
    }

    @Test
    void throughTheLauncherHintsNameTheLauncher() {
        assertEquals(2, runAs("leakwatch", "attach"));
        assertEquals("leakwatch: attach needs a PID (see: leakwatch list)", err().strip());
        assertEquals(2, runAs("leakwatch", "attach", "not-a-pid"));
        assertEquals("leakwatch: 'not-a-pid' is not a process id (see: leakwatch list)", err().strip());
        assertEquals(0, runAs("leakwatch", "attach", "--help"));
        assertTrue(out().startsWith("usage: leakwatch attach PID [OPTIONS]"), out());
    }

    @Test
    void aMessageFromTheTargetIsOneSafeLine() {
        assertEquals(2, run("status", "12\u001b[2J"));
        assertEquals(
                "leakwatch: '12\\u001b[2J' is not a process id (see: java -jar leakwatch-agent.jar list)",
                err().strip());
    }

    // ---- the exit table ----

    /** README.md, "Exit codes": the numbers scripts rely on, the same as analyze's for what both have. */
    @Test
    void theExitTable() {
        assertEquals(0, AttachExit.OK.code());
        assertEquals(1, AttachExit.FAILED.code());
        assertEquals(2, AttachExit.USAGE.code());
        assertEquals(3, AttachExit.LEAK_SUSPECTED.code());
        assertEquals(4, AttachExit.NOT_ENOUGH_DATA.code());
        assertEquals(10, AttachExit.NO_SUCH_PROCESS.code());
        assertEquals(11, AttachExit.NOT_A_JVM.code());
        assertEquals(12, AttachExit.ATTACH_DISABLED.code());
        assertEquals(13, AttachExit.OTHER_USER.code());
        assertEquals(14, AttachExit.JAVA_TOO_OLD.code());
        assertEquals(15, AttachExit.TARGET_ENDED.code());
        assertEquals(16, AttachExit.AGENT_JAR_MISSING.code());
        assertEquals(17, AttachExit.NOT_RECORDING.code());
        assertEquals(13, AttachExit.values().length);
    }

    @Test
    void theReportsVerdictIsReadFromItsTextAndItsJson() {
        assertEquals(
                Optional.of(Verdict.NOT_ENOUGH_DATA),
                Verdicts.ofTextReport("leakwatch report: not-enough-data. 3 snapshots over 0 min\nsource: x\n"));
        assertEquals(
                Optional.of(Verdict.LEAK_SUSPECTED),
                Verdicts.ofTextReport("leakwatch report: leak-suspected. com.acme.Session grows\n"));
        assertEquals(Optional.empty(), Verdicts.ofTextReport("report failed: disk full"));
        assertEquals(Optional.empty(), Verdicts.ofJsonReport("{not json"));
        assertEquals("leak-report.json", Verdicts.JSON_REPORT);
    }

    @Test
    void statusAndListAsJson() throws Exception {
        LeakReport report = ReportJson.read("{\"schemaVersion\":6,\"generatedAt\":\"2026-12-05T07:00:00Z\","
                + "\"verdict\":\"leak-suspected\",\"summary\":\"com.acme.Caf\u00e9 grows\",\"suspects\":[],"
                + "\"candidates\":[],\"findings\":[],\"warnings\":[]}");
        String status = ClientJson.status(
                42,
                new AttachClient.Answer(
                        "recording to /tmp/lw\noptions: output=/tmp/lw\nreport: leak-suspected: com.acme.Caf\u00e9 grows\n",
                        Path.of("/tmp/lw")),
                Optional.of(report));
        assertEquals(
                "{\"pid\":42,\"recording\":\"/tmp/lw\",\"verdict\":\"leak-suspected\",\"summary\":\"com.acme.Caf\\u00E9"
                        + " grows\",\"generatedAt\":\"2026-12-05T07:00:00Z\",\"suspects\":[],\"status\":[\"recording to"
                        + " /tmp/lw\",\"options: output=/tmp/lw\",\"report: leak-suspected: com.acme.Caf\\u00E9 grows\"]}",
                status);
        String none = ClientJson.status(
                42,
                new AttachClient.Answer("recording to /tmp/lw\nreport: none yet", Path.of("/tmp/lw")),
                Optional.empty());
        assertTrue(none.contains("\"verdict\":null,\"summary\":null,\"generatedAt\":null,\"suspects\":[]"), none);
        assertEquals(
                "{\"jvms\":[{\"pid\":7,\"uptimeSeconds\":61,\"main\":\"app.jar\",\"recording\":null},"
                        + "{\"pid\":8,\"uptimeSeconds\":null,\"main\":\"x\\n\",\"recording\":\"/r\"}]}",
                ClientJson.list(List.of(
                        new ClientJson.Listed("7", Optional.of(java.time.Duration.ofSeconds(61)), "app.jar", null),
                        new ClientJson.Listed("8", Optional.empty(), "x\n", "/r"))));
    }
}

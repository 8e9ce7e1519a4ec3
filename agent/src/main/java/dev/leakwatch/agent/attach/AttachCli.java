package dev.leakwatch.agent.attach;

import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.analyzer.report.TerminalText;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.format.CommandArguments;
import dev.leakwatch.format.Units;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client commands for running JVMs. Each failure prints one line and exits with its own {@link AttachExit}
 * status; nothing here can harm the target, which only ever sees standard attaches and loads of the agent jar.
 */
final class AttachCli {
    /** The statuses of README.md's one table, as the help lists them. */
    static final String EXIT_STATUS = String.join(
            "\n",
            "exit status: 0 ok (report: no leak found), 3 leak suspected, 4 not enough data, 2 usage, 1 internal error",
            "  or other failure, 10 no such process, 11 not a JVM, 12 attach disabled in the target, 13 target owned by",
            "  another user, 14 target's Java too old, 15 target ended during attach, 16 agent jar not found,",
            "  17 leakwatch not recording in the target");

    static String usage(String program) {
        StringBuilder text = new StringBuilder();
        text.append("usage: ")
                .append(program)
                .append(" COMMAND [ARGS]    (")
                .append(program)
                .append(" COMMAND --help for one command)\n");
        text.append("       ").append(program).append(" --version\n\n");
        for (ClientCommand command : ClientCommand.values()) {
            String head = command.wireName() + (command.synopsis().isEmpty() ? "" : " " + command.synopsis());
            text.append(String.format(Locale.ROOT, "  %-30s %s%n", head, firstSentence(command.description())));
        }
        text.append('\n').append(EXIT_STATUS);
        return text.toString();
    }

    private static String firstSentence(String description) {
        int end = description.indexOf(". ");
        return end < 0 ? description : description.substring(0, end + 1);
    }

    private final PrintStream out;
    private final PrintStream err;
    private final AttachClient client;
    private final String program;

    AttachCli(PrintStream out, PrintStream err, AttachClient client) {
        this(out, err, client, AttachInvocation.program());
    }

    /** @param program what the user typed to run us, for the hints: {@code leakwatch} or {@code java -jar ...} */
    AttachCli(PrintStream out, PrintStream err, AttachClient client, String program) {
        this.out = out;
        this.err = err;
        this.client = client;
        this.program = program;
    }

    int run(String[] args) {
        try {
            return execute(args).code();
        } catch (AttachException e) {
            err.println("leakwatch: " + TerminalText.safe(e.getMessage()));
            return e.exit().code();
        } catch (RuntimeException | LinkageError e) {
            err.println("leakwatch: internal error (" + TerminalText.safe(String.valueOf(e))
                    + "); please report it with the command that caused it");
            return AttachExit.FAILED.code();
        }
    }

    private AttachExit execute(String[] args) throws AttachException {
        if (args.length == 0) {
            out.println(usage(program));
            return AttachExit.USAGE;
        }
        String first = args[0];
        if (first.equals("--version") || first.equals("version")) {
            out.println(AttachInvocation.version());
            return AttachExit.OK;
        }
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            if (args.length == 1) {
                out.println(usage(program));
            } else {
                out.println(command(args[1]).usage(program));
            }
            return AttachExit.OK;
        }
        ClientCommand command = command(first);
        String seeHelp = program + " " + command.wireName() + " --help";
        CommandArguments arguments;
        try {
            arguments = CommandArguments.parse(List.of(args).subList(1, args.length), command.options(), seeHelp);
        } catch (CommandArguments.UsageError mistake) {
            throw new AttachException(AttachExit.USAGE, mistake.getMessage());
        }
        if (arguments.help()) {
            out.println(command.usage(program));
            return AttachExit.OK;
        }
        boolean json = json(arguments);
        List<String> operands = arguments.operands();
        if (operands.size() < command.minOperands()) {
            throw new AttachException(
                    AttachExit.USAGE, command.wireName() + " needs a PID (see: " + program + " list)");
        }
        if (operands.size() > command.maxOperands()) {
            throw new AttachException(
                    AttachExit.USAGE, "too many arguments for " + command.wireName() + " (see: " + seeHelp + ")");
        }
        if (command == ClientCommand.LIST) {
            list(json);
            return AttachExit.OK;
        }
        Optional<Duration> wait = waitLimit(arguments); // a mistake is said before anything is attached
        TargetProcess target = TargetProcess.find(operands.get(0), program);
        switch (command) {
            case ATTACH -> {
                String status = client.attach(target, operands.size() > 1 ? operands.get(1) : "");
                out.println("leakwatch attached to pid " + target.pid());
                printLines(status);
                if (wait.isPresent()) {
                    return follow(target, wait.get());
                }
            }
            case STATUS -> {
                AttachClient.Answer answer = client.controlled(target, ControlCommand.STATUS);
                if (json) {
                    out.println(ClientJson.status(target.pid(), answer, Verdicts.newestReport(answer.recording())));
                } else {
                    printLines(answer.text());
                }
            }
            case SNAPSHOT -> printLines(client.control(target, ControlCommand.SNAPSHOT));
            case HOLDERS -> printLines(client.control(target, ControlCommand.HOLDERS));
            case REPORT -> {
                return report(target, json);
            }
            default -> printLines(client.control(target, ControlCommand.STOP));
        }
        return AttachExit.OK;
    }

    private ClientCommand command(String name) throws AttachException {
        return ClientCommand.named(name)
                .orElseThrow(() -> new AttachException(
                        AttachExit.USAGE,
                        "unknown command '" + name
                                + "' (commands: list, attach, status, snapshot, report, holders, stop; see: " + program
                                + " --help)"));
    }

    private Optional<Duration> waitLimit(CommandArguments arguments) throws AttachException {
        String limit = arguments.options().get(ClientCommand.WAIT);
        if (limit == null) {
            return Optional.empty();
        }
        try {
            Duration parsed = Units.parseDuration(limit);
            if (!parsed.isZero() && !parsed.isNegative()) {
                return Optional.of(parsed);
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new AttachException(
                AttachExit.USAGE,
                "--wait takes how long to follow the report, like 30m or 2h, not '" + limit + "' (see: " + program
                        + " attach --help)");
    }

    /**
     * {@code attach --wait}: follows the recording's report and prints the one that suspects a leak. Exits as
     * {@code report PID} does on that report (3), 0 when the time limit passes first, and on the last report's
     * verdict when the JVM ends first.
     */
    private AttachExit follow(TargetProcess target, Duration limit) throws AttachException {
        String recording = client.recordingIn(String.valueOf(target.pid()));
        if (recording == null) {
            throw new AttachException(
                    target.isAlive() ? AttachExit.NOT_RECORDING : AttachExit.TARGET_ENDED,
                    "pid " + target.pid() + " is not recording any more; nothing to follow");
        }
        out.println("following " + TerminalText.safe(recording) + " for up to " + Units.formatDuration(limit)
                + " (Ctrl-C stops following; the recording goes on)");
        out.flush();
        ReportFollower.Outcome outcome;
        try {
            outcome = ReportFollower.of(Path.of(recording), target.pid()).follow(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttachException(AttachExit.FAILED, "interrupted while following pid " + target.pid());
        }
        Optional<LeakReport> last = outcome.last();
        switch (outcome.end()) {
            case LEAK_SUSPECTED -> {
                printLines(new TextReportWriter().render(last.orElseThrow()));
                return AttachExit.LEAK_SUSPECTED;
            }
            case TIME_LIMIT -> {
                out.println("no leak suspected in pid " + target.pid() + " within " + Units.formatDuration(limit)
                        + lastVerdict(last) + "; the recording goes on (" + program + " report " + target.pid()
                        + ")");
                return AttachExit.OK;
            }
            default -> {
                out.println("pid " + target.pid() + " ended before a leak was suspected" + lastVerdict(last));
                return last.map(report -> exitOf(report.verdict())).orElse(AttachExit.NOT_ENOUGH_DATA);
            }
        }
    }

    private static String lastVerdict(Optional<LeakReport> last) {
        return last.map(report ->
                        "; last report: " + report.verdict().wireName() + ": " + TerminalText.safe(report.summary()))
                .orElse("; no report was written yet");
    }

    private static boolean json(CommandArguments arguments) throws AttachException {
        String format = arguments.options().getOrDefault("--format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new AttachException(AttachExit.USAGE, "--format must be text or json, not '" + format + "'");
        }
        return format.equals("json");
    }

    /**
     * Prints the report and exits as {@code analyze} does on the same verdict. Text is the agent's answer; JSON is the
     * {@code leak-report.json} the same refresh wrote, read back from the recording directory (this user's own).
     */
    private AttachExit report(TargetProcess target, boolean json) throws AttachException {
        AttachClient.Answer answer = client.controlled(target, ControlCommand.REPORT);
        if (!json) {
            printLines(answer.text());
            return exitOf(Verdicts.ofTextReport(answer.text()), target);
        }
        Path file = answer.recording().resolve(Verdicts.JSON_REPORT);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new AttachException(
                    AttachExit.FAILED, "cannot read " + file + " that pid " + target.pid() + " wrote: " + e);
        }
        Optional<Verdict> verdict = Verdicts.ofJsonReport(content);
        // Only JSON on stdout: a script parses it whole. The agent ends its JSON with a line break.
        out.print(content.endsWith("\n") ? content : content + "\n");
        out.flush();
        return exitOf(verdict, target);
    }

    private static AttachExit exitOf(Optional<Verdict> verdict, TargetProcess target) throws AttachException {
        return exitOf(verdict.orElseThrow(() -> new AttachException(
                AttachExit.FAILED, "the report of pid " + target.pid() + " names no verdict this client knows")));
    }

    private static AttachExit exitOf(Verdict verdict) {
        return switch (verdict) {
            case LEAK_SUSPECTED -> AttachExit.LEAK_SUSPECTED;
            case NOT_ENOUGH_DATA -> AttachExit.NOT_ENOUGH_DATA;
            case NO_LEAK_FOUND -> AttachExit.OK;
        };
    }

    /**
     * Prints an answer of the target line by line, each made safe for the terminal: it quotes class names, paths and
     * options from the target's JVM, and only the line breaks the agent put between its lines may stay.
     */
    private void printLines(String answer) {
        out.print(terminalLines(answer));
    }

    static String terminalLines(String answer) {
        String text = answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer;
        StringBuilder lines = new StringBuilder(text.length() + 16);
        for (String line : text.split("\n", -1)) {
            lines.append(TerminalText.safe(line)).append(System.lineSeparator());
        }
        return lines.toString();
    }

    private void list(boolean json) throws AttachException {
        List<AttachMechanism.Jvm> jvms = AttachMechanism.listJvms()
                .orElseThrow(() -> new AttachException(
                        AttachExit.FAILED,
                        "list needs the jdk.attach module, missing from this Java (" + System.getProperty("java.home")
                                + "); run leakwatch with a JDK's java"));
        long self = ProcessHandle.current().pid();
        List<ClientJson.Listed> listed = new ArrayList<>();
        for (AttachMechanism.Jvm jvm : jvms) {
            if (!jvm.pid().equals(String.valueOf(self))) {
                listed.add(new ClientJson.Listed(
                        jvm.pid(), uptime(jvm.pid()), jvm.displayName(), client.recordingIn(jvm.pid())));
            }
        }
        if (json) {
            out.println(ClientJson.list(listed));
            return;
        }
        out.println(String.format(Locale.ROOT, "%-8s %-10s %-10s %s", "PID", "UPTIME", "LEAKWATCH", "MAIN"));
        for (ClientJson.Listed jvm : listed) {
            out.println(String.format(
                            Locale.ROOT,
                            "%-8s %-10s %-10s %s",
                            jvm.pid(),
                            jvm.uptime().map(AttachCli::uptimeText).orElse("?"),
                            jvm.recording() == null ? "-" : "recording",
                            jvm.main().isEmpty() ? "?" : TerminalText.safe(jvm.main()))
                    + (jvm.recording() == null ? "" : "  -> " + TerminalText.safe(jvm.recording())));
        }
    }

    private static String uptimeText(Duration up) {
        return up.toHours() > 0
                ? up.toHours() + "h" + up.toMinutesPart() + "m"
                : up.toMinutes() + "m" + up.toSecondsPart() + "s";
    }

    private static Optional<Duration> uptime(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid))
                    .flatMap(p -> p.info().startInstant())
                    .map(start -> Duration.between(start, Instant.now()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

package dev.leakwatch.agent.attach;

import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.analyzer.report.TerminalText;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client commands for running JVMs. Each failure prints one line and exits with its own {@link AttachExit}
 * status; nothing here can harm the target, which only ever sees standard attaches and loads of the agent jar.
 */
final class AttachCli {
    static final String USAGE = String.join(
            "\n",
            "usage: java -jar leakwatch-agent.jar COMMAND",
            "",
            "  list                   JVMs this user can attach to: pid, main class or jar, uptime, leakwatch running?",
            "  attach PID [OPTIONS]   load the agent into a running JVM; OPTIONS as for -javaagent (key=value,...)",
            "  status PID             where and how it records, what it costs, what the newest report says",
            "  snapshot PID           take a snapshot now",
            "  report PID             analyse now, rewrite the report files, print the text report",
            "  stop PID               stop recording and release everything in the target; the files stay",
            "",
            "exit status: 0 ok, 2 usage, 10 no such process, 11 not a JVM, 12 attach disabled in the target,",
            "13 target owned by another user, 14 target's Java too old, 15 target ended during attach,",
            "16 agent jar not found, 17 leakwatch not recording in the target, 1 other failure");

    private final PrintStream out;
    private final PrintStream err;
    private final AttachClient client;

    AttachCli(PrintStream out, PrintStream err, AttachClient client) {
        this.out = out;
        this.err = err;
        this.client = client;
    }

    int run(String[] args) {
        try {
            return execute(args).code();
        } catch (AttachException e) {
            err.println("leakwatch: " + e.getMessage());
            return e.exit().code();
        } catch (RuntimeException | LinkageError e) {
            err.println("leakwatch: failed: " + e);
            return AttachExit.FAILED.code();
        }
    }

    private AttachExit execute(String[] args) throws AttachException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? AttachExit.USAGE : AttachExit.OK;
        }
        String command = args[0];
        if (command.equals("list")) {
            list();
            return AttachExit.OK;
        }
        if (!command.matches("attach|status|snapshot|report|stop")) {
            throw new AttachException(
                    AttachExit.USAGE,
                    "unknown command '" + command
                            + "' (commands: list, attach, status, snapshot, report, stop; see --help)");
        }
        if (args.length < 2) {
            throw new AttachException(
                    AttachExit.USAGE, command + " needs a PID (see: java -jar leakwatch-agent.jar list)");
        }
        if (args.length > (command.equals("attach") ? 3 : 2)) {
            throw new AttachException(AttachExit.USAGE, "too many arguments for " + command + " (see --help)");
        }
        TargetProcess target = TargetProcess.find(args[1]);
        switch (command) {
            case "attach" -> {
                String status = client.attach(target, args.length > 2 ? args[2] : "");
                out.println("leakwatch attached to pid " + target.pid());
                printLines(status);
            }
            case "status" -> printLines(client.control(target, ControlCommand.STATUS));
            case "snapshot" -> printLines(client.control(target, ControlCommand.SNAPSHOT));
            case "report" -> printLines(client.control(target, ControlCommand.REPORT));
            default -> printLines(client.control(target, ControlCommand.STOP));
        }
        return AttachExit.OK;
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

    private void list() throws AttachException {
        List<AttachMechanism.Jvm> jvms = AttachMechanism.listJvms()
                .orElseThrow(() -> new AttachException(
                        AttachExit.FAILED,
                        "list needs the jdk.attach module, missing from this Java (" + System.getProperty("java.home")
                                + "); run leakwatch with a JDK's java"));
        long self = ProcessHandle.current().pid();
        out.println(String.format(Locale.ROOT, "%-8s %-10s %-10s %s", "PID", "UPTIME", "LEAKWATCH", "MAIN"));
        for (AttachMechanism.Jvm jvm : jvms) {
            if (jvm.pid().equals(String.valueOf(self))) {
                continue;
            }
            String recording = client.recordingIn(jvm.pid());
            out.println(String.format(
                            Locale.ROOT,
                            "%-8s %-10s %-10s %s",
                            jvm.pid(),
                            uptime(jvm.pid()),
                            recording == null ? "-" : "recording",
                            jvm.displayName().isEmpty() ? "?" : TerminalText.safe(jvm.displayName()))
                    + (recording == null ? "" : "  -> " + TerminalText.safe(recording)));
        }
    }

    private static String uptime(String pid) {
        try {
            Optional<Instant> start =
                    ProcessHandle.of(Long.parseLong(pid)).flatMap(p -> p.info().startInstant());
            if (start.isEmpty()) {
                return "?";
            }
            Duration up = Duration.between(start.get(), Instant.now());
            return up.toHours() > 0
                    ? up.toHours() + "h" + up.toMinutesPart() + "m"
                    : up.toMinutes() + "m" + up.toSecondsPart() + "s";
        } catch (NumberFormatException e) {
            return "?";
        }
    }
}

package dev.leakwatch.agent.attach;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The attach client's commands: what each takes, what it does, and the exit statuses it can end with. */
enum ClientCommand {
    LIST(
            "[--format text|json]",
            "The JVMs this user can attach to: pid, uptime, whether leakwatch records there and where, main class or"
                    + " jar.",
            0,
            0,
            Options.FORMAT,
            "0 ok, 2 usage, 1 failure (no jdk.attach module in this Java)"),
    ATTACH(
            "PID [OPTIONS] [--wait DURATION]",
            "Loads the agent into JVM PID and starts recording, no restart. OPTIONS is the agent's key=value,... string"
                    + " as for -javaagent (README.md, \"Agent options\"). A JVM already recording keeps its options."
                    + " With --wait, follows the recording's report until it suspects a leak (prints the report, exits"
                    + " 3), the JVM ends, or DURATION (like 30m or 2h) passes (exits 0).",
            1,
            2,
            Options.WAIT,
            "0 recording (with --wait: no leak suspected in time), 3 leak suspected (--wait), 4 not enough data (--wait:"
                    + " the JVM ended first), 2 usage or a bad option, " + Exits.ATTACH_FAILURES + ", 1 failure"),
    STATUS(
            "PID [--format text|json]",
            "Where and how leakwatch records in JVM PID, what it costs, what the newest report says.",
            1,
            1,
            Options.FORMAT,
            "0 ok, 17 leakwatch not recording there, 2 usage, " + Exits.ATTACH_FAILURES + ", 1 failure"),
    SNAPSHOT(
            "PID",
            "Takes a snapshot in JVM PID now.",
            1,
            1,
            Options.NONE,
            "0 ok, 17 leakwatch not recording there, 2 usage, " + Exits.ATTACH_FAILURES + ", 1 failure"),
    REPORT(
            "PID [--format text|json]",
            "Analyzes the recording in JVM PID now, rewrites its report files and prints the report (json: its"
                    + " leak-report.json).",
            1,
            1,
            Options.FORMAT,
            "0 no leak found, 3 leak suspected, 4 not enough data, 17 leakwatch not recording there, 2 usage, "
                    + Exits.ATTACH_FAILURES + ", 1 failure"),
    HOLDERS(
            "PID",
            "Searches now who holds each leak suspect in JVM PID (reference chains from a GC root, by a few heap walks,"
                    + " each a pause about as long as a live histogram) and prints the chains; the reports include"
                    + " them from then on.",
            1,
            1,
            Options.NONE,
            "0 ok, 17 leakwatch not recording there, 2 usage, " + Exits.ATTACH_FAILURES + ", 1 failure"),
    STOP(
            "PID",
            "Stops recording in JVM PID and releases everything leakwatch holds there; the files stay.",
            1,
            1,
            Options.NONE,
            "0 stopped, 17 leakwatch not recording there, 2 usage, " + Exits.ATTACH_FAILURES + ", 1 failure");

    static final String FORMAT = "--format";
    static final String WAIT = "--wait";

    private final String synopsis;
    private final String description;
    private final int minOperands;
    private final int maxOperands;
    private final Options options;
    private final String exitStatus;

    ClientCommand(
            String synopsis, String description, int minOperands, int maxOperands, Options options, String exitStatus) {
        this.synopsis = synopsis;
        this.description = description;
        this.minOperands = minOperands;
        this.maxOperands = maxOperands;
        this.options = options;
        this.exitStatus = exitStatus;
    }

    /** The options a command takes, each with a value, and their lines in its help. */
    enum Options {
        NONE(List.of(), ""),
        FORMAT(
                List.of(ClientCommand.FORMAT),
                "  --format F   text (default), or json for scripts (--format json or --format=json)\n"),
        WAIT(
                List.of(ClientCommand.WAIT),
                "  --wait D     follow the report until a leak is suspected, the JVM ends, or D (30m, 2h) passes\n");

        private final List<String> names;
        private final String help;

        Options(List<String> names, String help) {
            this.names = names;
            this.help = help;
        }
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ClientCommand> named(String name) {
        for (ClientCommand command : values()) {
            if (command.wireName().equals(name)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    List<String> options() {
        return options.names;
    }

    int minOperands() {
        return minOperands;
    }

    int maxOperands() {
        return maxOperands;
    }

    String synopsis() {
        return synopsis;
    }

    String description() {
        return description;
    }

    /** This command's own help: usage, what it does, its options, its exit statuses. */
    String usage(String program) {
        StringBuilder text = new StringBuilder();
        text.append("usage: ").append(program).append(' ').append(wireName());
        if (!synopsis.isEmpty()) {
            text.append(' ').append(synopsis);
        }
        text.append("\n\n").append(wrap(description, "")).append("\n\n");
        text.append(options.help);
        text.append("  --help       this text\n\n");
        text.append(wrap("exit status: " + exitStatus, "  "));
        return text.toString();
    }

    /** Words in lines of at most {@value #WIDTH} characters, lines after the first indented. */
    static String wrap(String words, String indent) {
        StringBuilder text = new StringBuilder();
        int lineStart = 0;
        for (String word : words.split(" ")) {
            if (text.length() > lineStart && text.length() - lineStart + 1 + word.length() > WIDTH) {
                text.append('\n');
                lineStart = text.length();
                text.append(indent);
            } else if (text.length() > lineStart) {
                text.append(' ');
            }
            text.append(word);
        }
        return text.toString();
    }

    private static final int WIDTH = 100;

    /** The statuses every command that attaches can end with. */
    static final class Exits {
        static final String ATTACH_FAILURES =
                "10 no such process, 11 not a JVM, 12 attach disabled, 13 another user's process,"
                        + " 14 Java too old, 15 ended during attach, 16 agent jar missing";

        private Exits() {}
    }
}

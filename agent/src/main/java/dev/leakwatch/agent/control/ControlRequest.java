package dev.leakwatch.agent.control;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A command for the running session, carried by the attach mechanism itself, as async-profiler's client does: the
 * client loads the agent jar again with {@code command=NAME,reply=PATH} as the agent's arguments; {@code agentmain}
 * runs the command on the JVM's attach listener thread and writes the {@link Reply} to {@code PATH} before it
 * returns, so the answer is there when the client's load returns. Nothing listens in the target: the local JMX
 * connector this replaces left a port open on all interfaces until the JVM exited (issue 11, {@code ControlIT}).
 *
 * <p>A request never starts a session: without one it answers {@link Reply.Outcome#NOT_RECORDING}.
 *
 * @param reply where the answer goes, as the target names it: an absolute path in a directory the client made
 */
public record ControlRequest(ControlCommand command, Path reply) {
    private static final String COMMAND = "command=";
    /** Last, so that the path takes the rest of the arguments, commas and all. */
    private static final String REPLY = ",reply=";

    /** Whether the agent's arguments are a request rather than options (no option is named {@code command}). */
    public static boolean isRequest(String agentArguments) {
        return agentArguments != null && agentArguments.startsWith(COMMAND);
    }

    /** @throws IllegalArgumentException when the arguments are not a well-formed request */
    public static ControlRequest parse(String agentArguments) {
        int replyAt = isRequest(agentArguments) ? agentArguments.indexOf(REPLY) : -1;
        if (replyAt < 0) {
            throw new IllegalArgumentException("not a control request: command=NAME,reply=PATH expected");
        }
        String name = agentArguments.substring(COMMAND.length(), replyAt);
        ControlCommand command = ControlCommand.byWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown control command '"
                        + (name.length() > 20 ? name.substring(0, 20) + "..." : name) + "'"));
        Path reply;
        try {
            reply = Path.of(agentArguments.substring(replyAt + REPLY.length()));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("reply path is not a path: " + e.getReason());
        }
        if (!reply.isAbsolute() || reply.getParent() == null) {
            throw new IllegalArgumentException("reply path " + reply + " is not an absolute path to a file");
        }
        return new ControlRequest(command, reply);
    }

    /** The agent's arguments that carry this request. */
    public String toAgentArguments() {
        return COMMAND + command.wireName() + REPLY + reply;
    }

    /**
     * Runs the command on {@code control} (null when no session records) and writes the answer.
     *
     * @throws IOException when the answer cannot be written, or not safely ({@link ReplyWriter})
     */
    public void answer(AgentControlMBean control) throws IOException {
        ReplyWriter.write(reply, Reply.to(command, control));
    }
}

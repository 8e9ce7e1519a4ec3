package dev.leakwatch.agent.control;

import dev.leakwatch.agent.log.AgentLog;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The answer to a {@link ControlRequest}, as written to its reply file: the outcome's name on the first line, then
 * the text the command returned (or why it failed).
 */
public record Reply(Outcome outcome, String text) {
    public enum Outcome {
        OK,
        /** No session records in the JVM: the client exits 17, and nothing was started. */
        NOT_RECORDING,
        FAILED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Runs {@code command} on {@code control}, or answers {@link Outcome#NOT_RECORDING} when it is null or stopped. */
    static Reply to(ControlCommand command, AgentControlMBean control) {
        if (control == null || !control.isRecording()) {
            return new Reply(Outcome.NOT_RECORDING, "");
        }
        try {
            return new Reply(Outcome.OK, command.runOn(control));
        } catch (Throwable t) {
            return new Reply(Outcome.FAILED, command.wireName() + " failed: " + AgentLog.describe(t));
        }
    }

    byte[] encode() {
        return (outcome.wireName() + "\n" + text).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the bytes are not a reply */
    public static Reply decode(byte[] bytes) {
        String content = new String(bytes, StandardCharsets.UTF_8);
        int newline = content.indexOf('\n');
        String first = newline < 0 ? content : content.substring(0, newline);
        for (Outcome outcome : Outcome.values()) {
            if (outcome.wireName().equals(first)) {
                return new Reply(outcome, newline < 0 ? "" : content.substring(newline + 1));
            }
        }
        throw new IllegalArgumentException("not a leakwatch reply (first line '"
                + (first.length() > 40 ? first.substring(0, 40) + "..." : first) + "')");
    }
}

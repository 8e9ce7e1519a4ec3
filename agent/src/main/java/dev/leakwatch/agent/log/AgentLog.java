package dev.leakwatch.agent.log;

import dev.leakwatch.analyzer.report.TerminalText;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's only voice: one line per event on stderr, prefixed {@code [leakwatch]}, never a stack trace (the
 * host's logs are not ours to flood). Errors the agent catches and survives are counted, and the count goes into
 * the report so tests and users can see that nothing was swallowed silently.
 *
 * <p>One instance per agent session, created by the entry point and handed to every component.
 */
public final class AgentLog {
    private final PrintStream out;
    private final AtomicLong suppressedErrors = new AtomicLong();

    public AgentLog(PrintStream out) {
        this.out = out;
    }

    public void info(String message) {
        line(message);
    }

    /**
     * An error the agent caught and degraded on: counted, reported in one line with its cause's type and message.
     * Never throws, so a catch block that calls it cannot let an error out (on a full heap the line itself may not fit).
     */
    public void error(String whatFailed, Throwable cause) {
        suppressedErrors.incrementAndGet();
        try {
            line(whatFailed + ": " + describe(cause));
        } catch (Throwable lineDidNotFit) {
            // counted all the same
        }
    }

    public long suppressedErrors() {
        return suppressedErrors.get();
    }

    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private void line(String message) {
        try {
            // One event, one line: a class name or path with a newline or an escape sequence must not forge more.
            out.println("[leakwatch] " + TerminalText.safe(message));
        } catch (Throwable ignored) {
            // stderr closed or broken, or no heap left for the line: nobody to tell, and the host must not notice.
        }
    }
}

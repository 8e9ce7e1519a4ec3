package dev.leakwatch.agent;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.options.OptionsException;
import dev.leakwatch.agent.options.OptionsParser;
import dev.leakwatch.agent.session.AgentSession;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: {@code premain} for {@code -javaagent:}, {@code agentmain} for attaching to a running JVM.
 *
 * <p>Each is one call inside {@code catch (Throwable)}: whatever goes wrong, the application starts and runs as if
 * the agent were not there, and the user reads one line on stderr saying why. No real work happens on the
 * application's main thread beyond parsing the options and starting our daemon thread; the first snapshot is
 * taken from there.
 *
 * <p>The one piece of static state in the agent lives here: the running session, so that a second attach finds
 * the first one instead of starting another recording.
 */
public final class LeakwatchAgent {
    private static AgentSession session;

    private LeakwatchAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments);
    }

    private static synchronized void start(String arguments) {
        try {
            if (session != null) {
                System.err.println("[leakwatch] already recording to " + session.options().output().toAbsolutePath()
                        + "; options '" + arguments + "' ignored");
                return;
            }
            AgentOptions options = new OptionsParser(ProcessHandle.current().pid()).parse(arguments);
            session = AgentSession.start(options, new AgentLog(System.err));
        } catch (OptionsException e) {
            System.err.println("[leakwatch] not started: " + e.getMessage() + "; the application runs without leakwatch");
        } catch (Throwable t) {
            System.err.println("[leakwatch] not started: " + AgentLog.describe(t) + "; the application runs without leakwatch");
        }
    }

    /** {@code java -jar leakwatch-agent.jar}: the jar is an agent, not a program; say how to use it. */
    public static void main(String[] args) {
        System.out.println("leakwatch-agent: load it into a JVM with -javaagent:" + "leakwatch-agent.jar=output=DIR,interval=30s"
                + " (see README.md for every option)");
    }
}

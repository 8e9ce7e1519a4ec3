package dev.leakwatch.agent;

import dev.leakwatch.agent.control.AgentControl;
import dev.leakwatch.agent.control.ControlRequest;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.options.OptionsException;
import dev.leakwatch.agent.options.OptionsParser;
import dev.leakwatch.agent.session.AgentSession;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: {@code premain} for {@code -javaagent:}, {@code agentmain} for attaching to a running JVM
 * and for the client's commands to it ({@link ControlRequest}: the client loads the jar again with a command as its
 * arguments).
 *
 * <p>Each is one call inside {@code catch (Throwable)} ({@code agentmain} picks one of two): whatever goes wrong,
 * the application starts and runs as if the agent were not there, and the user reads one line on stderr saying
 * why. No real work happens on the application's main thread beyond parsing the options and starting our daemon
 * thread, which sets the session up; only when classes must be instrumented as they load (the instrumentation
 * sampler) is the session set up before {@code main}, to register the allocation transformer in time.
 *
 * <p>The one piece of static state in the agent lives here: the running session, so that a second attach finds
 * the first one instead of starting another recording, and a stopped one makes room for the next.
 */
public final class LeakwatchAgent {
    private static AgentSession session;

    private LeakwatchAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (!answered(arguments)) {
            start(arguments, instrumentation, false);
        }
    }

    /**
     * Answers a command ({@link ControlRequest}) in its reply file; false when the arguments are options instead. A
     * command never starts a session: without one, the answer is "not recording".
     */
    private static boolean answered(String arguments) {
        try {
            if (!ControlRequest.isRequest(arguments)) {
                return false;
            }
            AgentSession running = running();
            ControlRequest.parse(arguments).answer(running == null ? null : new AgentControl(running));
        } catch (Throwable t) {
            System.err.println("[leakwatch] control command not answered: " + AgentLog.describe(t));
        }
        return true;
    }

    /** Read under the lock, used outside it: a command may run for a minute (a snapshot), and nothing should wait. */
    private static synchronized AgentSession running() {
        return session;
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation, boolean beforeMain) {
        try {
            if (session != null) {
                System.err.println("[leakwatch] already recording to "
                        + session.options().output().toAbsolutePath() + " with " + session.describeOptions()
                        + "; new options ignored (stop first to change them)");
                return;
            }
            AgentOptions options = new OptionsParser(ProcessHandle.current().pid()).parse(arguments);
            if (beforeMain && !AgentSession.needsHostThread(options)) {
                startLater(options, instrumentation);
                return;
            }
            session = AgentSession.start(
                    options, instrumentation, beforeMain, new AgentLog(System.err), LeakwatchAgent::stopped);
        } catch (OptionsException e) {
            System.err.println(
                    "[leakwatch] not started: " + e.getMessage() + "; the application runs without leakwatch");
        } catch (Throwable t) {
            System.err.println(
                    "[leakwatch] not started: " + AgentLog.describe(t) + "; the application runs without leakwatch");
        }
    }

    /**
     * Starts the session on a daemon thread of ours, so that {@code main} does not wait for it: loading and setting up
     * the agent's classes took about 200 ms of the host's start-up (issue 13, "Start-up" in docs/measurements.md),
     * and nothing in it must happen before {@code main} when no class has to be instrumented as it loads. A JVM that
     * ends before the thread is done leaves no recording (and no empty directory).
     */
    private static void startLater(AgentOptions options, Instrumentation instrumentation) {
        Thread starter = new Thread(new Starter(options, instrumentation), "leakwatch-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** A class rather than a lambda: premain bootstraps no {@code java.lang.invoke} (see {@code OptionsParser.KEYS}). */
    private static final class Starter implements Runnable {
        private final AgentOptions options;
        private final Instrumentation instrumentation;

        Starter(AgentOptions options, Instrumentation instrumentation) {
            this.options = options;
            this.instrumentation = instrumentation;
        }

        @Override
        public void run() {
            startNow(options, instrumentation);
        }
    }

    private static synchronized void startNow(AgentOptions options, Instrumentation instrumentation) {
        try {
            if (session == null) {
                session = AgentSession.start(
                        options, instrumentation, true, new AgentLog(System.err), LeakwatchAgent::stopped);
            }
        } catch (Throwable t) {
            if (!shuttingDown(t)) {
                System.err.println("[leakwatch] not started: " + AgentLog.describe(t)
                        + "; the application runs without leakwatch");
            }
        }
    }

    /** A JVM that began to exit while we started refuses our shutdown hook: the application is done, say nothing. */
    private static boolean shuttingDown(Throwable t) {
        return t instanceof IllegalStateException && "Shutdown in progress".equals(t.getMessage());
    }

    /** A stopped session leaves, so that a later attach starts a new one. */
    private static synchronized void stopped(AgentSession stopped) {
        if (session == stopped) {
            session = null;
        }
    }
}

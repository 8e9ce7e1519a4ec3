package dev.leakwatch.agent.attach;

import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.agent.control.ControlRequest;
import dev.leakwatch.agent.control.RecordingProperty;
import dev.leakwatch.agent.control.Reply;
import dev.leakwatch.agent.options.OptionsException;
import dev.leakwatch.agent.options.OptionsParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider;

/**
 * Talks to another JVM through its attach mechanism only: reads its system properties, loads the agent into it, and
 * carries each command to the running agent by loading the jar again with the command as its arguments
 * ({@link ControlRequest}), the answer coming back in a file only this user can read ({@link ReplyDirectory}).
 * Nothing is left listening in the target. Every attach goes through the {@link AttachMechanism} that
 * byte-buddy-agent's attachment providers find: the JDK's attach API where there is one, else their fallbacks.
 */
final class AttachClient {
    /** The oldest Java the agent supports: it is compiled for 17. */
    static final int MINIMUM_JAVA = 17;

    private final Path agentJar;
    private final AttachmentProvider provider;
    /** Found at the first attach, and kept: the client makes a few attaches within one command. */
    private AttachMechanism mechanism;

    /** @param provider where to look for an attach API: {@link AttachmentProvider#DEFAULT} tries them all */
    AttachClient(Path agentJar, AttachmentProvider provider) {
        this.agentJar = agentJar;
        this.provider = provider;
    }

    /** Loads the agent with {@code options}; returns the recording's status as the agent reports it. */
    String attach(TargetProcess target, String options) throws AttachException {
        checkAgentJar();
        try {
            // The same parser the agent runs: a bad option is reported here, not in the target's stderr.
            new OptionsParser(target.pid()).parse(options);
        } catch (OptionsException e) {
            throw new AttachException(AttachExit.USAGE, e.getMessage());
        }
        target.checkSameUser();
        target.checkAttachableJvm();
        Properties properties = systemProperties(target);
        checkJavaVersion(target, properties.getProperty("java.specification.version", "0"));
        String running = properties.getProperty(RecordingProperty.NAME);
        if (running != null) {
            return "already recording to " + running + "; options unchanged (stop it first to change them)\n"
                    + ask(target, ControlCommand.STATUS, properties);
        }
        load(target, options == null ? "" : options);
        // agentmain has returned: the session has started, or the target's stderr says why it has not.
        try {
            return ask(target, ControlCommand.STATUS, properties);
        } catch (AttachException e) {
            if (e.exit() != AttachExit.NOT_RECORDING) {
                throw e;
            }
            throw new AttachException(
                    AttachExit.FAILED,
                    "the agent was loaded into pid " + target.pid()
                            + " but did not start recording; its stderr says why (an unwritable output directory, for example)");
        }
    }

    /** Runs {@code command} in the running agent; fails with {@link AttachExit#NOT_RECORDING} when none runs there. */
    String control(TargetProcess target, ControlCommand command) throws AttachException {
        return controlled(target, command).text();
    }

    /** As {@link #control}, with the directory the target records into. */
    Answer controlled(TargetProcess target, ControlCommand command) throws AttachException {
        target.checkSameUser();
        target.checkAttachableJvm();
        Properties properties = systemProperties(target);
        // Asked first, so that a JVM where leakwatch never ran gets nothing loaded into it.
        String recording = properties.getProperty(RecordingProperty.NAME);
        if (recording == null) {
            throw notRecording(target);
        }
        return new Answer(ask(target, command, properties), Path.of(recording));
    }

    /**
     * The target's answer, and the directory it records into (its own absolute path, from its system properties).
     */
    record Answer(String text, Path recording) {}

    private String ask(TargetProcess target, ControlCommand command, Properties properties) throws AttachException {
        checkAgentJar();
        Reply reply;
        try (ReplyDirectory directory = replyDirectory(target, properties)) {
            load(target, new ControlRequest(command, directory.replyInTarget()).toAgentArguments());
            reply = directory
                    .read()
                    .orElseThrow(() -> new AttachException(
                            AttachExit.FAILED,
                            "pid " + target.pid() + " did not answer '" + command.wireName()
                                    + "'; its stderr says why"));
        } catch (IOException | IllegalArgumentException e) {
            throw new AttachException(
                    AttachExit.FAILED,
                    "cannot read the answer of pid " + target.pid() + " to '" + command.wireName() + "': "
                            + e.getMessage());
        }
        return switch (reply.outcome()) {
            case OK -> reply.text();
            case NOT_RECORDING -> throw notRecording(target);
            case FAILED -> throw new AttachException(AttachExit.FAILED, "pid " + target.pid() + ": " + reply.text());
        };
    }

    private static ReplyDirectory replyDirectory(TargetProcess target, Properties properties) throws AttachException {
        try {
            return ReplyDirectory.create(target.pid(), properties);
        } catch (IOException | RuntimeException e) {
            throw new AttachException(
                    AttachExit.FAILED,
                    "cannot make a directory for the answer of pid "
                            + target.pid() + " in its temporary directory " + properties.getProperty("java.io.tmpdir")
                            + ": "
                            + e);
        }
    }

    private void load(TargetProcess target, String agentArguments) throws AttachException {
        AttachMechanism attach = mechanism();
        try {
            attach.loadAgent(agentJar, String.valueOf(target.pid()), agentArguments);
        } catch (RuntimeException e) {
            throw classify(target, e);
        }
    }

    private AttachMechanism mechanism() throws AttachException {
        if (mechanism == null) {
            mechanism = AttachMechanism.find(provider);
        }
        return mechanism;
    }

    private void checkAgentJar() throws AttachException {
        if (!Files.isRegularFile(agentJar)) {
            throw new AttachException(
                    AttachExit.AGENT_JAR_MISSING,
                    "agent jar not found at " + agentJar
                            + "; build it with 'mvn -B package -DskipTests' or point -Dleakwatch.agentJar at it");
        }
    }

    /** The recording directory of a running leakwatch in that JVM, or null; for {@code list}. */
    String recordingIn(String pid) {
        if (!TargetProcess.handlesQuitSignal(pid)) {
            return null;
        }
        try {
            return mechanism().systemProperties(pid).getProperty(RecordingProperty.NAME);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    private Properties systemProperties(TargetProcess target) throws AttachException {
        AttachMechanism attach = mechanism();
        try {
            return attach.systemProperties(String.valueOf(target.pid()));
        } catch (Exception e) {
            if (AttachMechanism.isA(e, AttachMechanism.ATTACH_NOT_SUPPORTED)) {
                throw target.isAlive() ? target.attachDisabled() : ended(target);
            }
            throw classify(target, e);
        }
    }

    private static void checkJavaVersion(TargetProcess target, String specification) throws AttachException {
        int feature;
        try {
            feature = specification.startsWith("1.")
                    ? Integer.parseInt(specification.substring(2))
                    : Integer.parseInt(specification);
        } catch (NumberFormatException e) {
            feature = 0;
        }
        if (feature < MINIMUM_JAVA) {
            throw new AttachException(
                    AttachExit.JAVA_TOO_OLD,
                    "pid " + target.pid() + " runs Java " + specification + "; leakwatch needs Java " + MINIMUM_JAVA
                            + " or newer");
        }
    }

    private static AttachException classify(TargetProcess target, Throwable failure) {
        if (!target.isAlive()) {
            return ended(target);
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (AttachMechanism.isA(cause, AttachMechanism.AGENT_INITIALIZATION)
                    || AttachMechanism.isA(cause, AttachMechanism.AGENT_LOAD)) {
                break;
            }
            cause = cause.getCause();
        }
        if (AttachMechanism.isA(cause, AttachMechanism.ATTACH_NOT_SUPPORTED)) {
            return target.attachDisabled();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new AttachException(AttachExit.FAILED, "attach to pid " + target.pid() + " failed: " + message);
    }

    private static AttachException ended(TargetProcess target) {
        return new AttachException(AttachExit.TARGET_ENDED, "pid " + target.pid() + " ended during attach");
    }

    private static AttachException notRecording(TargetProcess target) {
        return new AttachException(
                AttachExit.NOT_RECORDING,
                "leakwatch is not recording in pid " + target.pid() + "; start it with: " + target.program()
                        + " attach " + target.pid());
    }

    static Path ownJar() {
        String configured = System.getProperty("leakwatch.agentJar");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(AttachClient.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (Exception e) {
            return Path.of("leakwatch-agent.jar");
        }
    }
}

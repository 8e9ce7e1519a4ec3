package dev.leakwatch.agent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.leakwatch.agent.control.AgentControl;
import dev.leakwatch.agent.control.AgentControlMBean;
import dev.leakwatch.agent.options.OptionsException;
import dev.leakwatch.agent.options.OptionsParser;
import dev.leakwatch.agent.session.AgentSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Talks to another JVM: loads the agent into it (byte-buddy-agent's attach, which picks the JDK's attach API or its
 * fallbacks), and reaches the running agent's control MBean through the JVM's local JMX connector, which the attach
 * API starts on demand.
 */
final class AttachClient {
    /** The oldest Java the agent supports: it is compiled for 17. */
    static final int MINIMUM_JAVA = 17;

    private final Path agentJar;

    AttachClient(Path agentJar) {
        this.agentJar = agentJar;
    }

    /** The agent registers its control on its own thread right after loading: wait this long for it. */
    static final long CONTROL_WAIT_MILLIS = 15_000;

    /** Loads the agent with {@code options}; returns the recording's status as the agent reports it. */
    String attach(TargetProcess target, String options) throws AttachException {
        if (!Files.isRegularFile(agentJar)) {
            throw new AttachException(AttachExit.AGENT_JAR_MISSING, "agent jar not found at " + agentJar
                    + "; build it with 'mvn -B package -DskipTests' or point -Dleakwatch.agentJar at it");
        }
        try {
            // The same parser the agent runs: a bad option is reported here, not in the target's stderr.
            new OptionsParser(target.pid()).parse(options);
        } catch (OptionsException e) {
            throw new AttachException(AttachExit.USAGE, e.getMessage());
        }
        target.checkSameUser();
        target.checkAttachableJvm();
        Properties properties = withVm(target, vm -> {
            try {
                return vm.getSystemProperties();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        checkJavaVersion(target, properties.getProperty("java.specification.version", "0"));
        String running = properties.getProperty(AgentSession.RECORDING_PROPERTY);
        if (running != null) {
            return "already recording to " + running + "; options unchanged (stop it first to change them)\n"
                    + control(target, AgentControlMBean::getStatus);
        }
        try {
            ByteBuddyAgent.attach(agentJar.toFile(), String.valueOf(target.pid()), options == null ? "" : options);
        } catch (RuntimeException e) {
            throw classify(target, e);
        }
        long deadline = System.currentTimeMillis() + CONTROL_WAIT_MILLIS;
        while (true) {
            try {
                return control(target, AgentControlMBean::getStatus);
            } catch (AttachException e) {
                if (e.exit() != AttachExit.NOT_RECORDING) {
                    throw e;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AttachException(AttachExit.FAILED, "the agent was loaded into pid " + target.pid()
                            + " but did not start recording; its stderr says why (a bad option, for example)");
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200); // polling a remote JVM: there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls the running agent's control; fails with {@link AttachExit#NOT_RECORDING} when none runs there. */
    <T> T control(TargetProcess target, Function<AgentControlMBean, T> call) throws AttachException {
        target.checkSameUser();
        target.checkAttachableJvm();
        String address = withVm(target, vm -> {
            try {
                // Asked first: starting the JMX agent in a JVM where leakwatch is not recording would leave it running.
                if (vm.getSystemProperties().getProperty(AgentSession.RECORDING_PROPERTY) == null) {
                    return null;
                }
                return vm.startLocalManagementAgent();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        if (address == null) {
            throw notRecording(target);
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(AgentControl.OBJECT_NAME);
            if (!connection.isRegistered(name)) {
                throw notRecording(target);
            }
            return call.apply(JMX.newMBeanProxy(connection, name, AgentControlMBean.class));
        } catch (AttachException e) {
            throw e;
        } catch (java.lang.reflect.UndeclaredThrowableException e) {
            if (e.getCause() instanceof InstanceNotFoundException) {
                throw notRecording(target);
            }
            throw classify(target, e);
        } catch (Exception e) {
            throw classify(target, e);
        }
    }

    /** The recording directory of a running leakwatch in that JVM, or null; for {@code list}. */
    String recordingIn(String pid) {
        if (!TargetProcess.handlesQuitSignal(pid)) {
            return null;
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                return vm.getSystemProperties().getProperty(AgentSession.RECORDING_PROPERTY);
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    private <T> T withVm(TargetProcess target, Function<VirtualMachine, T> action) throws AttachException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(target.pid()));
        } catch (AttachNotSupportedException e) {
            throw target.isAlive() ? target.attachDisabled() : ended(target);
        } catch (IOException e) {
            throw classify(target, e);
        }
        try {
            return action.apply(vm);
        } catch (RuntimeException e) {
            throw classify(target, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target went away; the call's own outcome says what matters
            }
        }
    }

    private static void checkJavaVersion(TargetProcess target, String specification) throws AttachException {
        int feature;
        try {
            feature = specification.startsWith("1.") ? Integer.parseInt(specification.substring(2))
                    : Integer.parseInt(specification);
        } catch (NumberFormatException e) {
            feature = 0;
        }
        if (feature < MINIMUM_JAVA) {
            throw new AttachException(AttachExit.JAVA_TOO_OLD, "pid " + target.pid() + " runs Java " + specification
                    + "; leakwatch needs Java " + MINIMUM_JAVA + " or newer");
        }
    }

    private static AttachException classify(TargetProcess target, Throwable failure) {
        if (!target.isAlive()) {
            return ended(target);
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof AgentInitializationException || cause instanceof AgentLoadException) {
                break;
            }
            cause = cause.getCause();
        }
        if (cause instanceof AttachNotSupportedException) {
            return target.attachDisabled();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new AttachException(AttachExit.FAILED, "attach to pid " + target.pid() + " failed: " + message);
    }

    private static AttachException ended(TargetProcess target) {
        return new AttachException(AttachExit.TARGET_ENDED, "pid " + target.pid() + " ended during attach");
    }

    private static AttachException notRecording(TargetProcess target) {
        return new AttachException(AttachExit.NOT_RECORDING, "leakwatch is not recording in pid " + target.pid()
                + "; start it with: ./leakwatch attach " + target.pid());
    }

    static Path ownJar() {
        String configured = System.getProperty("leakwatch.agentJar");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(AttachClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("leakwatch-agent.jar");
        }
    }

}

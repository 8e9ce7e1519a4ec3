package dev.leakwatch.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider;

/**
 * The attach API of the Java the client runs on, as one of byte-buddy-agent's attachment providers found it: the
 * JDK's {@code jdk.attach} module, a {@code tools.jar}, OpenJ9's, or byte-buddy's own emulation of the HotSpot and
 * OpenJ9 attach protocols (which needs JNA on the class path). Every attach the client makes, to read a JVM's
 * system properties or to load the agent into it, goes through the one accessor found, so that a fallback serves
 * all of them or none.
 *
 * <p>No other class of the client names a type of {@code com.sun.tools.attach}, and this one only in
 * {@link #listJvms()}, behind a {@code catch (LinkageError)}: on a Java without the {@code jdk.attach} module (a
 * runtime made with jlink, for example) the client still loads, answers {@code --help}, and says in one line why it
 * cannot attach, where a {@code catch} of one of that package's exceptions would fail the client's first use of the
 * class with {@code NoClassDefFoundError} (the verifier loads the classes a method catches).
 * {@code AttachMechanismTest} runs the client on such a Java.
 */
final class AttachMechanism {
    /** The attach API's exceptions, by name: their classes are missing where the module is. */
    static final String ATTACH_NOT_SUPPORTED = "com.sun.tools.attach.AttachNotSupportedException";

    static final String AGENT_LOAD = "com.sun.tools.attach.AgentLoadException";
    static final String AGENT_INITIALIZATION = "com.sun.tools.attach.AgentInitializationException";

    private final AttachmentProvider.Accessor accessor;

    private AttachMechanism(AttachmentProvider.Accessor accessor) {
        this.accessor = accessor;
    }

    /** @throws AttachException when none of the provider's strategies finds an attach API in this Java */
    static AttachMechanism find(AttachmentProvider provider) throws AttachException {
        AttachmentProvider.Accessor accessor = provider.attempt();
        if (!accessor.isAvailable()) {
            // byte-buddy-agent says "No compatible attachment provider is available"; the user needs to know which
            // Java lacks what, and what to run instead.
            throw new AttachException(
                    AttachExit.FAILED,
                    "this Java (" + System.getProperty("java.home")
                            + ") cannot attach to other JVMs: it has no jdk.attach module; run leakwatch with a JDK's java");
        }
        return new AttachMechanism(accessor);
    }

    /**
     * The system properties of JVM {@code pid}, read over one attach.
     *
     * @throws Exception what the attach API threw: {@code AttachNotSupportedException} when the JVM refuses the
     *                   attach, {@code IOException} when the connection fails, or byte-buddy's emulation's own
     */
    Properties systemProperties(String pid) throws Exception {
        Class<?> type = accessor.getVirtualMachineType();
        Object vm = call(type.getMethod("attach", String.class), null, pid);
        try {
            return (Properties) call(type.getMethod("getSystemProperties"), vm);
        } finally {
            try {
                call(type.getMethod("detach"), vm);
            } catch (Exception e) {
                // the target went away; the call's own outcome says what matters
            }
        }
    }

    /**
     * Loads the agent jar into JVM {@code pid} and waits for its {@code agentmain} to return.
     *
     * @throws IllegalStateException byte-buddy-agent's, with what the attach API threw as its cause
     */
    void loadAgent(Path agentJar, String pid, String arguments) {
        ByteBuddyAgent.attach(agentJar.toFile(), pid, arguments, () -> accessor);
    }

    /**
     * The JVMs the JDK's attach API lists for this user, or empty where this Java has no {@code jdk.attach} module:
     * byte-buddy-agent's providers attach to a JVM by its process id, but none of them lists JVMs.
     */
    static Optional<List<Jvm>> listJvms() {
        try {
            List<Jvm> jvms = new ArrayList<>();
            for (VirtualMachineDescriptor descriptor : VirtualMachine.list()) {
                jvms.add(new Jvm(descriptor.id(), descriptor.displayName()));
            }
            return Optional.of(jvms);
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /** A JVM as the attach API lists it: its process id and its main class or jar (empty when unknown). */
    record Jvm(String pid, String displayName) {}

    /** Whether {@code failure} is of the attach API class named {@code className}, or a subclass of it. */
    static boolean isA(Throwable failure, String className) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** A reflective call that throws what the called method threw. */
    private static Object call(Method method, Object target, Object... arguments) throws Exception {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            if (thrown instanceof Exception) {
                throw (Exception) thrown;
            }
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            throw e;
        }
    }
}

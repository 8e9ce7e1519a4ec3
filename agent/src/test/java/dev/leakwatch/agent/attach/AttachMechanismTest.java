package dev.leakwatch.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AttachNotSupportedException;
import dev.leakwatch.agent.control.AgentControlMBean;
import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.agent.control.ControlRequest;
import dev.leakwatch.agent.control.RecordingProperty;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client attaches through whatever accessor byte-buddy-agent's attachment provider found, for every attach it
 * makes, and turns each failure into its one line and exit status; on a Java without the {@code jdk.attach} module
 * it still runs and says why it cannot attach. The target is this test's own JVM, which the client checks as it
 * would any (a JVM of this user that accepts attach); only the accessor is {@link FakeVm}, which never attaches.
 */
class AttachMechanismTest {
    @TempDir
    Path tmp;

    private TargetProcess self;
    private Path agentJar;

    @BeforeEach
    void setUp() throws Exception {
        self = TargetProcess.find(String.valueOf(ProcessHandle.current().pid()));
        agentJar = Files.createFile(tmp.resolve("leakwatch-agent.jar"));
        FakeVm.reset(tmp);
    }

    @Test
    void aCommandReadsThePropertiesAndLoadsTheAgentThroughTheProvidersAccessor() throws Exception {
        FakeVm.properties.setProperty(RecordingProperty.NAME, "/recordings/app");

        String status = client(FakeVm.PROVIDER).control(self, ControlCommand.STATUS);

        assertEquals("recording to /recordings/app", status);
        String pid = String.valueOf(self.pid());
        assertEquals(
                List.of(
                        "attach " + pid,
                        "getSystemProperties",
                        "detach",
                        "attach " + pid,
                        "loadAgent " + agentJar.toAbsolutePath() + " command=status,reply=" + tmp,
                        "detach"),
                FakeVm.calls.stream()
                        .map(call -> call.replaceFirst("/leakwatch-control-[^/]*/reply$", ""))
                        .toList());
    }

    @Test
    void withoutAnAttachApiTheCommandSaysWhichJavaLacksWhat() {
        AttachClient client = client(() -> AttachmentProvider.Accessor.Unavailable.INSTANCE);

        AttachException status = assertThrows(AttachException.class, () -> client.control(self, ControlCommand.STATUS));
        AttachException attach = assertThrows(AttachException.class, () -> client.attach(self, "interval=5s"));

        String expected = "this Java (" + System.getProperty("java.home") + ") cannot attach to other JVMs: it has no"
                + " jdk.attach module; run leakwatch with a JDK's java";
        assertEquals(expected, status.getMessage());
        assertEquals(AttachExit.FAILED, status.exit());
        assertEquals(expected, attach.getMessage());
        assertEquals(List.of(), FakeVm.calls);
    }

    @Test
    void aRefusedAttachSaysTheTargetDoesNotAcceptAttach() {
        FakeVm.attachFailure = new AttachNotSupportedException("The VM does not support the attach mechanism");

        AttachException e = assertThrows(
                AttachException.class, () -> client(FakeVm.PROVIDER).control(self, ControlCommand.STATUS));

        assertEquals(AttachExit.ATTACH_DISABLED, e.exit());
        assertTrue(e.getMessage().startsWith("pid " + self.pid() + " does not accept attach"), e.getMessage());
    }

    @Test
    void aFailedConnectionSaysWhatFailed() {
        FakeVm.attachFailure = new IOException("Connection refused");

        AttachException e = assertThrows(
                AttachException.class, () -> client(FakeVm.PROVIDER).attach(self, ""));

        assertEquals(AttachExit.FAILED, e.exit());
        assertEquals("attach to pid " + self.pid() + " failed: Connection refused", e.getMessage());
    }

    @Test
    void anAgentThatFailsToStartIsReportedWithTheAttachApisWordsNotByteBuddysWrapper() {
        FakeVm.loadFailure = new AgentInitializationException("Agent JAR loaded but agent failed to initialize");

        AttachException e = assertThrows(
                AttachException.class, () -> client(FakeVm.PROVIDER).attach(self, ""));

        assertEquals(AttachExit.FAILED, e.exit());
        assertEquals(
                "attach to pid " + self.pid() + " failed: Agent JAR loaded but agent failed to initialize",
                e.getMessage());
    }

    /** Exit 14, which no JVM on a machine without a Java older than 17 can show (see {@code AttachErrorsIT}). */
    @Test
    void aTargetOnJavaOlderThan17IsNotLoadedInto() {
        FakeVm.properties.setProperty("java.specification.version", "1.8");

        AttachException e = assertThrows(
                AttachException.class, () -> client(FakeVm.PROVIDER).attach(self, ""));

        assertEquals(AttachExit.JAVA_TOO_OLD, e.exit());
        assertEquals("pid " + self.pid() + " runs Java 1.8; leakwatch needs Java 17 or newer", e.getMessage());
        assertTrue(FakeVm.calls.stream().noneMatch(call -> call.startsWith("loadAgent")), FakeVm.calls::toString);
    }

    /**
     * The client on this JDK with {@code jdk.attach} left out of the module graph, as a JRE or a jlink'ed runtime has
     * it: help works, and each command that needs the attach API fails in one line that says what to do.
     */
    @Test
    void onAJavaWithoutTheAttachModuleTheClientRunsAndSaysWhyItCannotAttach() throws Exception {
        Forked help = runClientWithoutAttachModule("--help");
        assertEquals(0, help.exit, help::toString);
        assertTrue(help.stdout.startsWith("usage: java -jar leakwatch-agent.jar COMMAND"), help::toString);

        Forked status = runClientWithoutAttachModule("status", String.valueOf(self.pid()));
        assertEquals(1, status.exit, status::toString);
        assertEquals(
                "leakwatch: this Java (" + System.getProperty("java.home") + ") cannot attach to other JVMs: it"
                        + " has no jdk.attach module; run leakwatch with a JDK's java\n",
                status.stderr,
                status::toString);

        Forked list = runClientWithoutAttachModule("list");
        assertEquals(1, list.exit, list::toString);
        assertEquals(
                "leakwatch: list needs the jdk.attach module, missing from this Java ("
                        + System.getProperty("java.home") + "); run leakwatch with a JDK's java\n",
                list.stderr,
                list::toString);
    }

    private AttachClient client(AttachmentProvider provider) {
        return new AttachClient(agentJar, provider);
    }

    private record Forked(int exit, String stdout, String stderr) {}

    /**
     * {@code AttachMain} with this test's class path, on this JDK limited to the modules of Java SE: without
     * {@code jdk.attach}, and so without byte-buddy's fallbacks too (its emulated attach needs JNA, which the agent
     * jar does not ship).
     */
    private Forked runClientWithoutAttachModule(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules",
                "java.se",
                "-cp",
                System.getProperty("java.class.path"),
                AttachMain.class.getName()));
        command.addAll(List.of(arguments));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> String.join(" ", command) + " did not finish");
        return new Forked(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * A virtual machine type as an attachment provider's accessor hands it out: static {@code attach}, then
     * {@code getSystemProperties}, {@code loadAgent} and {@code detach} on the instance. It answers control requests
     * as an agent would, from a recording that reports {@code recording to} its output directory.
     */
    public static final class FakeVm {
        static final AttachmentProvider PROVIDER = () -> new AttachmentProvider.Accessor() {
            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public boolean isExternalAttachmentRequired() {
                return false;
            }

            @Override
            public Class<?> getVirtualMachineType() {
                return FakeVm.class;
            }

            @Override
            public ExternalAttachment getExternalAttachment() {
                throw new IllegalStateException("attaches directly");
            }
        };
        static final List<String> calls = new ArrayList<>();
        static Properties properties;
        static Exception attachFailure;
        static Exception loadFailure;

        static void reset(Path targetTmp) {
            calls.clear();
            properties = new Properties();
            properties.setProperty("java.specification.version", "17");
            properties.setProperty("java.io.tmpdir", targetTmp.toString());
            attachFailure = null;
            loadFailure = null;
        }

        public static FakeVm attach(String pid) throws Exception {
            calls.add("attach " + pid);
            if (attachFailure != null) {
                throw attachFailure;
            }
            return new FakeVm();
        }

        public Properties getSystemProperties() {
            calls.add("getSystemProperties");
            return properties;
        }

        public void loadAgent(String jar, String arguments) throws Exception {
            calls.add("loadAgent " + jar + " " + arguments);
            if (loadFailure != null) {
                throw loadFailure;
            }
            if (ControlRequest.isRequest(arguments)) {
                ControlRequest.parse(arguments).answer(recording(properties.getProperty(RecordingProperty.NAME)));
            }
        }

        public void detach() {
            calls.add("detach");
        }

        private static AgentControlMBean recording(String output) {
            return (AgentControlMBean) Proxy.newProxyInstance(
                    AgentControlMBean.class.getClassLoader(),
                    new Class<?>[] {AgentControlMBean.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "isRecording" -> output != null;
                        case "getStatus" -> "recording to " + output;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}

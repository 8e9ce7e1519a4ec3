package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.Java25Home;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on a real JVM: a forked JVM (Java 17, and Java 25 where installed) with bytecode verification
 * forced on for every class, the JDK's included ({@code -XX:+BytecodeVerificationLocal}), runs {@link AgentProbe}:
 * bootstrap jar appended, JDK collections retransformed, a workload loaded and instrumented, then everything reset.
 */
class AllocationTransformerAgentTest {
    @Test
    void instrumentsJdkCollectionsAndApplicationClassesThenResets(@TempDir Path dir) throws Exception {
        Path workload = dir.resolve("workload");
        for (Map.Entry<String, byte[]> c :
                TestClasses.compile(TestClasses.sources("probe"), 17).entrySet()) {
            Path file = workload.resolve(c.getKey().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, c.getValue());
        }
        Path agentJar = probeAgentJar(dir.resolve("probe-agent.jar"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                + File.pathSeparator
                + workload;

        List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")));
        Path java25 = Java25Home.find()
                .map(home -> home.resolve("bin").resolve("java"))
                .orElse(null);
        if (java25 != null) {
            javas.add(java25);
        }
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < javas.size(); i++) {
            processes.add(new ProcessBuilder(
                            javas.get(i).toString(),
                            "-Xmx512m",
                            "-XX:+UnlockDiagnosticVMOptions",
                            "-XX:+BytecodeVerificationLocal",
                            "-XX:+BytecodeVerificationRemote",
                            "-javaagent:" + agentJar,
                            "-cp",
                            classPath,
                            AgentProbe.class.getName())
                    .redirectOutput(dir.resolve("out-" + i + ".txt").toFile())
                    .redirectError(dir.resolve("err-" + i + ".txt").toFile())
                    .start());
        }
        for (int i = 0; i < javas.size(); i++) {
            Process process = processes.get(i);
            boolean exited = process.waitFor(150, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String out = Files.readString(dir.resolve("out-" + i + ".txt"));
            String err = Files.readString(dir.resolve("err-" + i + ".txt"));
            String context = javas.get(i) + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
            System.out.println("[agent probe] " + javas.get(i) + "\n" + out);
            assertTrue(exited, "probe did not finish: " + context);
            assertEquals(0, process.exitValue(), context);
            assertProbe(parse(out), javas.get(i).equals(java25), context);
        }
    }

    private static void assertProbe(Map<String, List<String>> probe, boolean java25, String context) {
        assertEquals("true", one(probe, "done"), context);
        assertEquals(
                "DEFINED",
                one(probe, "bootstrapInstallation"),
                "defined in the boot loader, not appended to the bootstrap class path\n" + context);
        assertFalse(context.contains("Sharing is only supported"), "class-data sharing stays on\n" + context);
        assertEquals("true", one(probe, "hookOnBootstrap"), context);
        assertEquals(
                "true",
                one(probe, "stripesByThreadId"),
                "java.lang opened to the hook: Thread.tid is read\n" + context);
        assertEquals("0", one(probe, "errors"), context);
        assertEquals("0", one(probe, "hookFailures"), context);
        assertTrue(Long.parseLong(one(probe, "transformedAtInstall")) >= 10, "JDK collections retransformed");
        // java.base's HashMap calls the hook in the bootstrap loader's unnamed module: no IllegalAccessError, counted.
        assertTrue(Long.parseLong(one(probe, "hashMapNewNode")) >= 1000, context);
        assertTrue(Long.parseLong(one(probe, "hashMapTable")) >= 1, context);
        assertTrue(Long.parseLong(one(probe, "workloadBytes")) >= 1000, context);
        assertTrue(Long.parseLong(one(probe, "lambdaBody")) >= 1, context);
        assertTrue(Long.parseLong(one(probe, "stringBuilderBytes")) >= 1, context);
        // "key" + i, compiled to invokedynamic: each of the 1000 strings is seen where the JDK builds it. Since JDK 23
        // a
        // concatenation shape used often enough moves to a generated hidden class that builds its String elsewhere
        // (about 100 were seen on Java 25): a known gap, documented in the README.
        assertTrue(Long.parseLong(one(probe, "concatenatedStrings")) >= (java25 ? 1 : 1000), context);
        for (String type : List.of(
                "java.util.TreeMap$Entry",
                "java.util.LinkedList$Node",
                "java.util.LinkedHashMap$Entry",
                "java.util.concurrent.ConcurrentHashMap$Node",
                "java.util.concurrent.ConcurrentLinkedQueue$Node",
                "java.util.HashMap")) {
            assertTrue(Long.parseLong(one(probe, "type:" + type)) >= 1, type + "\n" + context);
        }
        // Two Arrays.copyOf growths per list, also once C2 compiled the loop and the intrinsic replaced the body.
        double hot = Double.parseDouble(one(probe, "copyOfPerListHot"));
        assertTrue(hot > 1.9 && hot < 2.2, "copies per list when hot: " + hot + "\n" + context);
        assertTrue(one(probe, "hidden").endsWith(":true"), context);
        assertEquals("0", one(probe, "hiddenSites"), "hidden classes are not transformed");
        assertEquals("true", one(probe, "reset"), context);
        assertEquals("0", one(probe, "recordedAfterReset"), "reset restores the original classes\n" + context);
        assertEquals("0", one(probe, "errorsAfterReset"), context);
        assertEquals(List.of(), probe.getOrDefault("log", List.of()), "nothing logged\n" + context);
    }

    private static String one(Map<String, List<String>> probe, String key) {
        List<String> values = probe.get(key);
        return values == null ? "<missing " + key + ">" : values.get(values.size() - 1);
    }

    private static Map<String, List<String>> parse(String out) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
        return values;
    }

    /** A jar with only a manifest: the premain class comes from the class path. */
    private static Path probeAgentJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", AgentProbe.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        main.putValue("Can-Redefine-Classes", "true");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
        }
        return jar;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

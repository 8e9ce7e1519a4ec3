package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.leakwatch.agent.instrument.TestClasses.DefiningLoader;
import dev.leakwatch.agent.testing.Java25Home;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassTooLargeException;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of a few real jars, instrumented and then verified by HotSpot: each class is defined by a child-first
 * class loader (which verifies non-bootstrap classes) and linked without being initialized. A class that fails to
 * link instrumented is linked again from its original bytes: only a failure that the original does not have is
 * the instrumentation's. Classes that cannot link either way (optional dependencies missing) are counted.
 *
 * <p>Prints one line per jar: classes, sites, skipped sites, transform time per class, verification outcome.
 */
class JarStressTest {

    static Stream<Arguments> jars() {
        return Stream.of(
                arguments("groovy", "groovy.lang.GroovyObject"),
                arguments("h2", "org.h2.Driver"),
                arguments("jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void everyClassOfARealJarVerifiesInstrumented(String label, String classInJar) throws Exception {
        Path jar = Path.of(Class.forName(classInJar, false, getClass().getClassLoader())
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Map<String, byte[]> classes = readJar(jar);
        Transformed transformed = transformAll(classes);
        assertEquals(List.of(), transformed.failures, label + ": transformation failures");

        DefiningLoader instrumented =
                new DefiningLoader(classes, bytes -> transformed.bytes.getOrDefault(bytes, bytes));
        Map<String, String> notLinked = new TreeMap<>();
        long verifyStart = System.nanoTime();
        for (String name : classes.keySet()) {
            try {
                instrumented.link(name);
            } catch (LinkageError | ClassNotFoundException e) {
                notLinked.put(name, e.toString());
            }
        }
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        List<String> causedByInstrumentation = new ArrayList<>();
        if (!notLinked.isEmpty()) {
            DefiningLoader original = new DefiningLoader(classes, bytes -> bytes);
            for (Map.Entry<String, String> failure : notLinked.entrySet()) {
                try {
                    original.link(failure.getKey());
                    causedByInstrumentation.add(failure.getKey() + ": " + failure.getValue());
                } catch (LinkageError | ClassNotFoundException unresolvedEitherWay) {
                    // optional dependency absent: not ours
                }
            }
        }
        System.out.printf(
                "[stress] %s: %d classes (class file versions %s), %d instrumented, %d too large; "
                        + "%d sites hooked, %d skipped; transform %.1f us/class (%.2f s); "
                        + "%d linked and verified in %.1f s, %d not linkable (missing optional dependencies), "
                        + "%d broken by instrumentation%n",
                label,
                classes.size(),
                transformed.versions,
                transformed.changed,
                transformed.tooLarge.size(),
                transformed.instrumenter.instrumentedSites(),
                transformed.instrumenter.skippedSites(),
                transformed.nanos / 1e3 / classes.size(),
                transformed.nanos / 1e9,
                classes.size() - notLinked.size(),
                verifySeconds,
                notLinked.size(),
                causedByInstrumentation.size());
        assertEquals(List.of(), causedByInstrumentation, label + ": classes that verify only without instrumentation");
        assertTrue(classes.size() - notLinked.size() > 0.8 * classes.size(), "most classes were verified");
    }

    /**
     * Java 25 class files (version 69): java.base's java.lang and java.util packages of the JDK 25 on this machine,
     * read through its own jrt file system. This JVM cannot load them; the forked agent test verifies the
     * instrumented JDK collections on Java 25 itself. Here: the transformation works on every one of them.
     */
    @Test
    void java25ClassFilesTransform() throws IOException {
        Path home = Java25Home.require();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", home.toString()))) {
            for (String dir : List.of("/modules/java.base/java/lang", "/modules/java.base/java/util")) {
                try (Stream<Path> files = Files.walk(jrt.getPath(dir))) {
                    for (Path file :
                            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        classes.put(file.toString(), Files.readAllBytes(file));
                    }
                }
            }
        }
        Transformed transformed = transformAll(classes);
        System.out.printf(
                "[stress] JDK 25 java.lang + java.util: %d classes (versions %s), %d sites hooked, "
                        + "%d skipped; transform %.1f us/class%n",
                classes.size(),
                transformed.versions,
                transformed.instrumenter.instrumentedSites(),
                transformed.instrumenter.skippedSites(),
                transformed.nanos / 1e3 / classes.size());
        assertEquals(List.of(), transformed.failures);
        assertTrue(transformed.versions.containsKey(69), transformed.versions::toString);
        for (byte[] output : transformed.bytes.values()) {
            OpenedClassReader.of(output)
                    .accept(
                            new net.bytebuddy.jar.asm.ClassVisitor(OpenedClassReader.ASM_API) {},
                            0); // well-formed enough for ASM to read back
        }
    }

    private static final class Transformed {
        final AllocationInstrumenter instrumenter = new AllocationInstrumenter(new SiteRegistry(1 << 20), true);
        /** Original bytes (by identity) to instrumented bytes. */
        final Map<byte[], byte[]> bytes = new java.util.IdentityHashMap<>();

        final List<String> failures = new ArrayList<>();
        final List<String> tooLarge = new ArrayList<>();
        final Map<Integer, Integer> versions = new TreeMap<>();
        long nanos;
        int changed;
    }

    private static Transformed transformAll(Map<String, byte[]> classes) {
        Transformed result = new Transformed();
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            byte[] original = entry.getValue();
            result.versions.merge(FixtureInstrumentationTest.majorVersion(original), 1, Integer::sum);
            long start = System.nanoTime();
            try {
                byte[] output = result.instrumenter.instrument(original);
                result.nanos += System.nanoTime() - start;
                if (output != original) {
                    result.changed++;
                    result.bytes.put(original, output);
                }
            } catch (MethodTooLargeException | ClassTooLargeException e) {
                result.nanos += System.nanoTime() - start;
                result.tooLarge.add(entry.getKey());
            } catch (RuntimeException e) {
                result.failures.add(entry.getKey() + ": " + e);
            }
        }
        return result;
    }

    /** Binary name to bytes of every class in the jar, multi-release variants and module-info left out. */
    private static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                classes.put(
                        name.substring(0, name.length() - 6).replace('/', '.'),
                        file.getInputStream(entry).readAllBytes());
            }
        }
        return classes;
    }

    static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

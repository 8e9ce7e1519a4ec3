package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import org.junit.jupiter.api.Test;

/** The transformer's firewalls and the packaging it relies on, without an agent. */
class TransformerPartsTest {

    @Test
    void failuresAreCountedAndLoggedOncePerClassUpToTheCap() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        List<String> lines = new ArrayList<>();
        FailureLog failures = new FailureLog(counters, lines::add);
        failures.transformFailed("com.acme.A", new IllegalStateException("boom"));
        failures.transformFailed("com.acme.A", new IllegalStateException("again"));
        failures.transformFailed(
                "com.acme.Big", new RuntimeException(new MethodTooLargeException("com/acme/Big", "m", "()V", 70_000)));
        assertEquals(2, counters.failed.sum());
        assertEquals(1, counters.tooLarge.sum(), "64K fallbacks are not errors");
        assertEquals(
                List.of(
                        "allocation sites of com.acme.A not instrumented: IllegalStateException (boom)",
                        "allocation sites of com.acme.Big not instrumented: a method would exceed 64 KB"),
                lines);

        failures.retransformFailed("com.acme.R", new UnsupportedOperationException("class redefinition failed"));
        assertEquals(1, counters.retransformFailed.sum());
        assertEquals(
                "could not retransform com.acme.R: UnsupportedOperationException (class redefinition failed)",
                lines.get(lines.size() - 1));

        for (int i = 0; i < 2 * AllocationTransformer.MAX_LOGGED_FAILURES; i++) {
            failures.transformFailed("com.acme.C" + i, new LinkageError());
        }
        assertEquals(AllocationTransformer.MAX_LOGGED_FAILURES + 1, lines.size(), "capped, plus one line saying so");
        assertTrue(lines.get(lines.size() - 1).contains("counted, not logged"));
    }

    @Test
    void aThrowingLogDoesNotEscapeTheFailureLog() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        FailureLog failures = new FailureLog(counters, line -> {
            throw new IllegalStateException("log broken");
        });
        failures.transformFailed("com.acme.A", new RuntimeException());
        assertEquals(1, counters.failed.sum());
    }

    @Test
    void aTransformationThatThrowsLeavesTheOriginalBytesAndCounts() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        List<String> lines = new ArrayList<>();
        ScopedTransformer transformer = new ScopedTransformer(
                ClassScope.defaults(),
                null,
                Object.class,
                new AllocationInstrumenter(new SiteRegistry(), true),
                counters,
                new FailureLog(counters, lines::add));
        byte[] notAClass = {(byte) 0xCA, (byte) 0xFE, 0, 1, 2};
        // Object stands in for the hook: the test's loader sees it. The bytes are garbage.
        assertNull(transformer.transform(null, getClass().getClassLoader(), "com/acme/Broken", null, null, notAClass));
        assertEquals(1, counters.failed.sum());
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("allocation sites of com.acme.Broken not instrumented"), lines::toString);
    }

    @Test
    void classesOutOfScopeAreNotTouched() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        ScopedTransformer transformer = new ScopedTransformer(
                ClassScope.defaults(),
                null,
                Object.class,
                new AllocationInstrumenter(new SiteRegistry(), true),
                counters,
                new FailureLog(counters, line -> {}));
        byte[] garbage = {1, 2, 3};
        ClassLoader loader = getClass().getClassLoader();
        assertNull(transformer.transform(null, loader, "dev/leakwatch/agent/Anything", null, null, garbage));
        assertNull(transformer.transform(null, null, "java/util/Formatter", null, null, garbage));
        assertNull(transformer.transform(null, loader, null, null, null, garbage), "hidden classes have no name");
        assertEquals(0, counters.failed.sum(), "never parsed: out of scope");
    }

    /** The agent jar's nested bootstrap jar (agent/target/classes, copied at process-classes) carries the hook. */
    @Test
    void theEmbeddedBootstrapJarCarriesTheHook() throws Exception {
        List<String> entries = new ArrayList<>();
        try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(BootstrapJar.RESOURCE)) {
            assertNotNull(in, BootstrapJar.RESOURCE + " (run mvn process-classes)");
            try (JarInputStream jar = new JarInputStream(in)) {
                for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                    entries.add(entry.getName());
                }
            }
        }
        assertTrue(entries.contains("dev/leakwatch/bootstrap/AllocationHook.class"), entries::toString);
        assertTrue(entries.contains("dev/leakwatch/bootstrap/AllocationRecorder.class"), entries::toString);
        for (String entry : entries) {
            assertTrue(
                    entry.startsWith("META-INF/")
                            || entry.startsWith("dev/leakwatch/bootstrap/")
                            || "dev/leakwatch/bootstrap/".startsWith(entry),
                    "nothing but the bootstrap package on the bootstrap class path: " + entry);
        }
        assertFalse(BootstrapJar.isInstalled(), "this test JVM has no agent");
    }
}

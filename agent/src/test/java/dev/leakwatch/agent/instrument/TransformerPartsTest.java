package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        AllocationTransformer.FailureListener listener = new AllocationTransformer.FailureListener(counters,
                lines::add);
        listener.onError("com.acme.A", null, null, false, new IllegalStateException("boom"));
        listener.onError("com.acme.A", null, null, true, new IllegalStateException("again"));
        listener.onError("com.acme.Big", null, null, false,
                new RuntimeException(new MethodTooLargeException("com/acme/Big", "m", "()V", 70_000)));
        assertEquals(2, counters.failed.sum());
        assertEquals(1, counters.tooLarge.sum(), "64K fallbacks are not errors");
        assertEquals(List.of("allocation sites of com.acme.A not instrumented: IllegalStateException (boom)",
                "allocation sites of com.acme.Big not instrumented: a method would exceed 64 KB"), lines);

        for (int i = 0; i < 2 * AllocationTransformer.MAX_LOGGED_FAILURES; i++) {
            listener.onError("com.acme.C" + i, null, null, false, new LinkageError());
        }
        assertEquals(AllocationTransformer.MAX_LOGGED_FAILURES + 1, lines.size(), "capped, plus one line saying so");
        assertTrue(lines.get(lines.size() - 1).contains("counted, not logged"));
    }

    @Test
    void aThrowingLogDoesNotEscapeTheListener() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        AllocationTransformer.FailureListener listener = new AllocationTransformer.FailureListener(counters, line -> {
            throw new IllegalStateException("log broken");
        });
        listener.onError("com.acme.A", null, null, false, new RuntimeException());
        assertEquals(1, counters.failed.sum());
    }

    @Test
    void aThrowingMatcherAnswersNoAndCounts() {
        AllocationTransformer.Counters counters = new AllocationTransformer.Counters();
        AllocationTransformer.Matcher matcher = new AllocationTransformer.Matcher(ClassScope.defaults(), null,
                Object.class, counters);
        // The type description is null: whatever throws inside, the matcher says no and counts it.
        assertFalse(matcher.matches(null, getClass().getClassLoader(), null, null, null));
        assertEquals(1, counters.failed.sum());
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
            assertTrue(entry.startsWith("META-INF/") || entry.startsWith("dev/leakwatch/bootstrap/")
                    || "dev/leakwatch/bootstrap/".startsWith(entry),
                    "nothing but the bootstrap package on the bootstrap class path: " + entry);
        }
        assertFalse(BootstrapJar.isInstalled(), "this test JVM has no agent");
    }
}

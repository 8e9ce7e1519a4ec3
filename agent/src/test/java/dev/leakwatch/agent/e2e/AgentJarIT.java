package dev.leakwatch.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent jar shares the host's class path: a library of ours left unrelocated would clash with the host's own
 * copy (a different Jackson, say). Every class must live under our own package.
 */
@Tag("e2e")
class AgentJarIT {
    private static final List<String> ALLOWED_PREFIXES = List.of("dev/leakwatch/", "META-INF/");
    /** Directory entries on the way to our package. */
    private static final List<String> ALLOWED_DIRECTORIES = List.of("dev/");

    @Test
    void everyEntryIsOursOrRelocated() throws IOException {
        List<String> strays = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                if (ALLOWED_PREFIXES.stream().noneMatch(entry.getName()::startsWith)
                        && !ALLOWED_DIRECTORIES.contains(entry.getName())) {
                    strays.add(entry.getName());
                }
                if (entry.getName().startsWith("META-INF/") && entry.getName().endsWith(".class")) {
                    strays.add(entry.getName());
                }
            }
        }
        assertEquals(List.of(), strays, "entries outside dev/leakwatch/");
    }

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.leakwatch.agent.LeakwatchAgent", main.getValue("Premain-Class"));
            assertEquals("dev.leakwatch.agent.LeakwatchAgent", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
            assertTrue(
                    jar.getEntry("dev/leakwatch/shaded/com/fasterxml/jackson/core/JsonFactory.class") != null,
                    "Jackson is inside, relocated");
            assertTrue(
                    jar.getEntry("dev/leakwatch/shaded/com/fasterxml/jackson/databind/ObjectMapper.class") == null,
                    "only Jackson's core: nothing in the agent or the analyzer binds data");
        }
    }
}

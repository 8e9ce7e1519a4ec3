package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way the hook gets into the boot loader when the JVM refuses the direct one. The direct way is tested where it
 * happens, in a JVM of its own ({@link AllocationTransformerAgentTest}): defining classes in this test JVM's boot
 * loader could not be undone.
 */
class BootstrapJarTest {

    @Test
    void whenTheJvmRefusesToOpenItsInternalsTheJarIsAppendedToTheBootstrapClassPath(@TempDir Path tempDir)
            throws Exception {
        List<String> appended = Collections.synchronizedList(new ArrayList<>());
        Instrumentation refusing = (Instrumentation) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "appendToBootstrapClassLoaderSearch" -> {
                            try (JarFile jar = (JarFile) args[0]) {
                                jar.stream().forEach(entry -> appended.add(entry.getName()));
                            }
                            return null;
                        }
                        case "redefineModule" -> throw new UnsupportedOperationException("not in this JVM");
                        default -> throw new AssertionError("unexpected call: " + method.getName());
                    }
                });

        assertEquals(BootstrapJar.Installation.APPENDED, BootstrapJar.install(refusing, tempDir));
        assertTrue(appended.contains("dev/leakwatch/bootstrap/AllocationHook.class"), appended::toString);
        try (var entries = Files.list(tempDir)) {
            List<Path> directories = entries.toList();
            assertEquals(1, directories.size(), "one directory made for the jar: " + directories);
            Path directory = directories.get(0);
            assertTrue(directory.getFileName().toString().startsWith("leakwatch-bootstrap-"), directories::toString);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            Path jar = directory.resolve("leakwatch-bootstrap.jar");
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(jar)),
                    "nobody else may read or replace the jar the boot loader reads");
        }
        assertFalse(BootstrapJar.isInstalled(), "the stand-in appended nothing for real");
    }
}

package dev.leakwatch.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap module (the hook that instrumented code calls) on the bootstrap class path, so that classes of
 * every class loader, the JDK's included, resolve one and the same {@code AllocationHook}.
 *
 * <p>The agent jar carries it as a nested jar ({@value #RESOURCE}), not as classes: were the hook's classes in the
 * agent jar, the system class loader would define a second copy that instrumented JDK classes cannot see.
 *
 * <p>Call {@link #install} before any agent class refers to {@code AllocationHook}: a class resolved earlier by
 * the agent's own loader would stay that loader's copy. This class names the hook only as a string for that reason.
 */
public final class BootstrapJar {
    public static final String RESOURCE = "META-INF/leakwatch/leakwatch-bootstrap.jar";
    static final String HOOK_CLASS = "dev.leakwatch.bootstrap.AllocationHook";

    private BootstrapJar() {
    }

    /**
     * Extracts the embedded bootstrap jar into {@code tempDir} (a new file, readable only by this user, deleted at
     * exit) and appends it to the bootstrap class loader's search path. Does nothing when the hook is already
     * there, for example after a stop and a second attach.
     *
     * @return the extracted jar, or empty when the hook was on the bootstrap class path already
     * @throws IOException when the resource is missing or cannot be written
     */
    public static Optional<Path> install(Instrumentation instrumentation, Path tempDir) throws IOException {
        if (isInstalled()) {
            return Optional.empty();
        }
        ClassLoader own = BootstrapJar.class.getClassLoader();
        try (InputStream in = own != null ? own.getResourceAsStream(RESOURCE)
                : ClassLoader.getSystemResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            Files.createDirectories(tempDir);
            // createTempFile: an unpredictable name and owner-only permissions, so that nobody swaps the jar
            // between writing and opening it.
            Path jar = Files.createTempFile(tempDir, "leakwatch-bootstrap-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            return Optional.of(jar);
        }
    }

    /** Whether the bootstrap class loader can load the hook. */
    public static boolean isInstalled() {
        try {
            Class.forName(HOOK_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

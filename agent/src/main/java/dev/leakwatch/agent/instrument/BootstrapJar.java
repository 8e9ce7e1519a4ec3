package dev.leakwatch.agent.instrument;

import dev.leakwatch.format.PrivateDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;

/**
 * Puts the bootstrap module (the hook that instrumented code calls) into the bootstrap class loader, so that classes
 * of every class loader, the JDK's included, resolve one and the same {@code AllocationHook}.
 *
 * <p>The agent jar carries it as a nested jar ({@value #RESOURCE}), not as classes: were the hook's classes in the
 * agent jar, the system class loader would define a second copy that instrumented JDK classes cannot see.
 *
 * <p><b>How.</b> Its few classes are defined directly in the bootstrap class loader, through the JDK's internal
 * {@code JavaLangAccess.defineClass} (exported to the agent, and to nothing else, with
 * {@link Instrumentation#redefineModule}). The documented way, {@link Instrumentation#appendToBootstrapClassLoaderSearch},
 * is the fallback: it works everywhere, but once the bootstrap class path is appended the JVM stops using class-data
 * sharing for every class not loaded by the boot loader (the application's and the platform's: slower class loading
 * from then on) and prints "Sharing is only supported for boot loader classes because bootstrap classpath has been
 * appended" on the host's stderr. It also needs a temporary file.
 *
 * <p>Call {@link #install} before any agent class refers to {@code AllocationHook}: a class resolved earlier by
 * the agent's own loader would stay that loader's copy. This class names the hook only as a string for that reason.
 */
public final class BootstrapJar {
    public static final String RESOURCE = "META-INF/leakwatch/leakwatch-bootstrap.jar";
    static final String HOOK_CLASS = "dev.leakwatch.bootstrap.AllocationHook";
    private static final String ACCESS_PACKAGE = "jdk.internal.access";

    /** How the hook got into the bootstrap class loader. */
    public enum Installation {
        /** It was there already, for example after a stop and a second attach. */
        ALREADY_PRESENT,
        /** Its classes were defined in the boot loader: no change to the bootstrap class path. */
        DEFINED,
        /** The fallback: the jar was appended to the bootstrap class path (class-data sharing is off for the rest). */
        APPENDED
    }

    private BootstrapJar() {}

    /**
     * Defines the embedded bootstrap classes in the bootstrap class loader; when the JVM does not allow that, extracts
     * the jar into {@code tempDir} (a new file, readable only by this user, deleted at exit) and appends it to the
     * bootstrap class loader's search path. Does nothing when the hook is there already.
     *
     * @throws IOException when the resource is missing or cannot be written
     */
    public static Installation install(Instrumentation instrumentation, Path tempDir) throws IOException {
        if (isInstalled()) {
            return Installation.ALREADY_PRESENT;
        }
        byte[] jar = readResource();
        Installation how = Installation.APPENDED;
        try {
            defineInBootLoader(instrumentation, classFiles(jar));
            if (isInstalled()) {
                how = Installation.DEFINED;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not this JVM's internals, or not allowed: the documented way below.
        }
        if (how == Installation.APPENDED) {
            appendToBootClassPath(instrumentation, jar, tempDir);
        }
        openThreadToHook(instrumentation);
        return how;
    }

    /**
     * The hook reads {@code Thread.tid} to pick its countdown (see {@code AllocationHook.stripe}): that needs
     * {@code java.lang} opened to its module before the hook class is initialized. Best effort: without it the hook
     * uses the threads' identity hashes.
     */
    private static void openThreadToHook(Instrumentation instrumentation) {
        try {
            Module hookModule = Class.forName(HOOK_CLASS, false, null).getModule();
            Module javaBase = Object.class.getModule();
            if (!javaBase.isOpen("java.lang", hookModule)) {
                instrumentation.redefineModule(
                        javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(hookModule)), Set.of(), Map.of());
            }
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // See above.
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

    private static byte[] readResource() throws IOException {
        ClassLoader own = BootstrapJar.class.getClassLoader();
        try (InputStream in =
                own != null ? own.getResourceAsStream(RESOURCE) : ClassLoader.getSystemResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }

    /** Binary class name to class file, in the jar's order. */
    static Map<String, byte[]> classFiles(byte[] jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes.put(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    /**
     * Defines every class, in rounds: a class whose superclass or interface is one of ours not yet defined fails with
     * {@code NoClassDefFoundError} and is tried again in the next round.
     */
    private static void defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        Module agent = BootstrapJar.class.getModule();
        if (!javaBase.isExported(ACCESS_PACKAGE, agent)) {
            instrumentation.redefineModule(
                    javaBase, Set.of(), Map.of(ACCESS_PACKAGE, Set.of(agent)), Map.of(), Set.of(), Map.of());
        }
        Object access = Class.forName(ACCESS_PACKAGE + ".SharedSecrets")
                .getMethod("getJavaLangAccess")
                .invoke(null);
        Method define = Class.forName(ACCESS_PACKAGE + ".JavaLangAccess")
                .getMethod(
                        "defineClass",
                        ClassLoader.class,
                        String.class,
                        byte[].class,
                        ProtectionDomain.class,
                        String.class);
        List<String> pending = new ArrayList<>(classes.keySet());
        while (!pending.isEmpty()) {
            List<String> retry = new ArrayList<>();
            LinkageError last = null;
            for (String name : pending) {
                try {
                    define.invoke(access, null, name, classes.get(name), null, "leakwatch-bootstrap");
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (!(e.getCause() instanceof NoClassDefFoundError)) {
                        throw e;
                    }
                    last = (LinkageError) e.getCause();
                    retry.add(name);
                }
            }
            if (retry.size() == pending.size()) {
                throw last;
            }
            pending = retry;
        }
    }

    private static void appendToBootClassPath(Instrumentation instrumentation, byte[] jar, Path tempDir)
            throws IOException {
        Files.createDirectories(tempDir);
        // In a directory made for it, owner-only, with an unpredictable name: nobody can swap or read the jar between
        // writing and opening it. The JVM keeps reading it, so it goes at exit, the directory after it.
        PrivateDirectory directory = PrivateDirectory.createTemporary(tempDir, "leakwatch-bootstrap-");
        directory.path().toFile().deleteOnExit();
        Path file = directory.writeNew("leakwatch-bootstrap.jar", jar);
        file.toFile().deleteOnExit();
        directory.close();
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
    }
}

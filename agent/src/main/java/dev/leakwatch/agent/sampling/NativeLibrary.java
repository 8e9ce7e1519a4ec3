package dev.leakwatch.agent.sampling;

import dev.leakwatch.format.PrivateDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The native half of {@link JvmHeapSampler}, shipped inside the agent jar per platform
 * ({@code META-INF/leakwatch/native/<os>-<arch>/libleakwatch.so}, built by the agent module's Maven build with gcc).
 *
 * <p>A library inside a jar cannot be mapped where it is: it is copied to a fresh file, loaded, and the file deleted
 * at once (on Linux the mapping outlives the name), so nothing is left behind, even after a {@code kill -9}.
 *
 * <p>From JDK 24 on, {@code System.load} is a restricted method (JEP 472): unless the JVM runs with
 * {@code --enable-native-access=ALL-UNNAMED}, the JVM prints a warning the first time, and with
 * {@code --illegal-native-access=deny} it refuses, which makes the heap sampler unavailable.
 */
final class NativeLibrary {
    static final String FILE_NAME = "libleakwatch.so";
    private static final String RESOURCE_ROOT = "/META-INF/leakwatch/native/";

    private NativeLibrary() {}

    /** The resource of the library built for this platform; empty where none is built (only Linux so far). */
    static Optional<String> resourceFor(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        return Optional.of(RESOURCE_ROOT + "linux-" + osArch.toLowerCase(Locale.ROOT) + "/" + FILE_NAME);
    }

    /**
     * Copies the platform's library into {@code directory} and loads it into the class loader of this class.
     *
     * @throws SamplerUnavailableException when no library is built for this platform, or it cannot be copied or loaded
     */
    static void load(Path directory) throws SamplerUnavailableException {
        String osName = System.getProperty("os.name", "");
        String osArch = System.getProperty("os.arch", "");
        String resource = resourceFor(osName, osArch)
                .orElseThrow(() ->
                        new SamplerUnavailableException("no native library is built for " + osName + " " + osArch));
        byte[] library;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SamplerUnavailableException(
                        "the agent jar has no native library for " + osName + " " + osArch + " (" + resource + ")");
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            throw new SamplerUnavailableException("could not read the native library " + resource + ": " + e, e);
        }
        PrivateDirectory copyDir = null;
        try {
            // Written, loaded and deleted in a directory made for it, owner-only: nobody can swap the file between
            // writing and loading it, nor read it meanwhile.
            copyDir = PrivateDirectory.createTemporary(directory, "leakwatch-");
            System.load(copyDir.writeNew("libleakwatch.so", library).toString());
        } catch (IOException e) {
            throw new SamplerUnavailableException("could not copy the native library to " + directory + ": " + e, e);
        } catch (IllegalCallerException e) { // JDK 24+ with --illegal-native-access=deny
            throw new SamplerUnavailableException(
                    "the JVM denies native access to the agent (allow it with"
                            + " --enable-native-access=ALL-UNNAMED): " + e.getMessage(),
                    e);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            throw new SamplerUnavailableException(
                    "could not load the native library from " + directory
                            + " (a directory mounted noexec? set java.io.tmpdir): " + e.getMessage(),
                    e);
        } finally {
            if (copyDir != null) {
                try {
                    copyDir.deleteWithContents();
                } catch (IOException ignored) {
                    // a stray owner-only copy in the temporary directory is all this can leave
                }
            }
        }
    }
}

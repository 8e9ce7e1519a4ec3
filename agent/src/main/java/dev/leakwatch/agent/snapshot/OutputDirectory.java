package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.UnsafeDirectoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The recording's output directory, shared by the snapshot writer and the report: opened (created owner-only) at the
 * first write, checked once (see {@link PrivateDirectory}), and opened anew when it was deleted or replaced, so that
 * a directory removed and recreated while the JVM runs gets our files again.
 *
 * <p>A directory that fails the check is refused for good: one line says why, and nothing is written anywhere.
 */
public final class OutputDirectory {
    private final Path path;
    private final Set<PosixFilePermission> fileMode;
    private final AgentLog log;
    private PrivateDirectory open; // guarded by this
    private volatile String refusal;

    public OutputDirectory(Path path, Set<PosixFilePermission> fileMode, AgentLog log) {
        this.path = path;
        this.fileMode = Set.copyOf(fileMode);
        this.log = log;
    }

    public Path path() {
        return path;
    }

    /**
     * The directory, open and checked.
     *
     * @throws UnsafeDirectoryException when it is refused (now or earlier)
     * @throws IOException              when it cannot be created or opened now (a later call tries again)
     */
    public synchronized PrivateDirectory current() throws IOException {
        String refused = refusal;
        if (refused != null) {
            throw new UnsafeDirectoryException(refused);
        }
        if (open != null && open.isCurrent()) {
            return open;
        }
        if (open != null) {
            open.close();
            open = null;
        }
        try {
            open = PrivateDirectory.open(path, fileMode);
            return open;
        } catch (UnsafeDirectoryException e) {
            refusal = e.getMessage();
            log.info("not recording: " + e.getMessage() + "; the application runs without leakwatch");
            throw e;
        }
    }

    /**
     * Whether the directory is refused, checking it now if it exists but without creating it: the first file written
     * creates it, so that a JVM that ends before its first snapshot leaves nothing behind.
     */
    public synchronized boolean refusedBeforeAnyWrite() {
        if (refusal != null) {
            return true;
        }
        try {
            PrivateDirectory.checkIfPresent(path);
            return false;
        } catch (UnsafeDirectoryException e) {
            refusal = e.getMessage();
            log.info("not recording: " + e.getMessage() + "; the application runs without leakwatch");
            return true;
        } catch (IOException e) {
            return false; // not readable now: the first write tries again and says why
        }
    }

    /** Why the directory was refused, or null while it is not. */
    public String refusal() {
        return refusal;
    }
}

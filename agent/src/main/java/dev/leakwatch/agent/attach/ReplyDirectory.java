package dev.leakwatch.agent.attach;

import dev.leakwatch.agent.control.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The directory one control command's reply goes to: made owner-only (0700) by the client for that one call, in the
 * target's temporary directory as the target names it, and removed when the call ends, however it ends.
 *
 * <p>On Linux the client reaches that directory through {@code /proc/PID/root}, the target's own view of the file
 * system: a target in a container has a {@code /tmp} of its own.
 */
final class ReplyDirectory implements AutoCloseable {
    static final String PREFIX = "leakwatch-control-";
    static final String REPLY_FILE = "reply";

    /** The directory as this process reaches it. */
    private final Path here;
    /** The directory as the target names it. */
    private final Path inTarget;

    private ReplyDirectory(Path here, Path inTarget) {
        this.here = here;
        this.inTarget = inTarget;
    }

    /** @param targetProperties the target's system properties: its {@code java.io.tmpdir} and {@code user.dir} */
    static ReplyDirectory create(long pid, Properties targetProperties) throws IOException {
        Path tmp = Path.of(targetProperties.getProperty("java.io.tmpdir", "/tmp"));
        if (!tmp.isAbsolute()) {
            tmp = Path.of(targetProperties.getProperty("user.dir", "/")).resolve(tmp);
        }
        Path here = Files.createTempDirectory(
                reachable(pid, tmp),
                PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new ReplyDirectory(here, tmp.resolve(here.getFileName().toString()));
    }

    /**
     * The target's directory as this process can reach it: through the target's root where that is another
     * directory than ours (a container), else the path itself, so that a target ending mid-call cannot leave the
     * directory unreachable for removal.
     */
    private static Path reachable(long pid, Path targetDirectory) {
        Path throughRoot = Path.of("/proc", String.valueOf(pid), "root")
                .resolve(targetDirectory.getRoot().relativize(targetDirectory).toString());
        try {
            if (Files.isDirectory(throughRoot)
                    && !(Files.isDirectory(targetDirectory) && Files.isSameFile(throughRoot, targetDirectory))) {
                return throughRoot;
            }
        } catch (IOException | SecurityException e) {
            // not readable through /proc (another user's process, no /proc): the plain path it is
        }
        return targetDirectory;
    }

    /** Where the agent is to write its reply, as the target names it. */
    Path replyInTarget() {
        return inTarget.resolve(REPLY_FILE);
    }

    /** The reply, or empty when the agent wrote none. */
    Optional<Reply> read() throws IOException {
        Path reply = here.resolve(REPLY_FILE);
        if (!Files.exists(reply, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(reply, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(Reply.decode(in.readAllBytes()));
        }
    }

    /** Removes the reply and the directory; whatever else is in it too, without following links. */
    @Override
    public void close() {
        try {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(here)) {
                for (Path entry : entries) {
                    Files.deleteIfExists(entry);
                }
            }
            Files.deleteIfExists(here);
        } catch (IOException e) {
            // The target's file system went away with it (its /proc/PID/root); nothing left to clean up here.
        }
    }

    @Override
    public String toString() {
        return here.toString();
    }
}

package dev.leakwatch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes a report where the user asked ({@code analyze --out FILE}).
 *
 * <ul>
 *   <li>A regular file, or a new one, is replaced in one step: the report goes to a new temporary file beside it
 *       (an unpredictable name, created exclusively, owner-only), is forced to disk and renamed over it, so a crash
 *       leaves the old report or the new one, never half of one.
 *   <li>A device, a pipe or a socket (also named through a link, as {@code /dev/stdout} is) is written to as a stream:
 *       renaming over it would replace {@code /dev/null} with a regular file when run as root.
 *   <li>A symbolic link to a regular file, or to nothing, is refused: replacing it would drop the link, and writing
 *       through it would let whoever planted it choose which file we overwrite.
 * </ul>
 */
public final class ReportFiles {
    private ReportFiles() {}

    /** @throws IOException with a one-line message when the target is refused or cannot be written */
    public static void writeTo(Path target, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        BasicFileAttributes entry = attributes(target, LinkOption.NOFOLLOW_LINKS);
        if (entry != null && entry.isSymbolicLink()) {
            BasicFileAttributes pointed = attributes(target);
            if (pointed == null || pointed.isRegularFile() || pointed.isDirectory()) {
                throw new IOException(target + " is a symbolic link; name the file itself (a link is neither replaced"
                        + " nor written through, so that nobody can redirect the report)");
            }
            writeStream(target, bytes);
        } else if (entry != null && entry.isDirectory()) {
            throw new IOException(target + " is a directory; name a file");
        } else if (entry != null && !entry.isRegularFile()) {
            writeStream(target, bytes);
        } else {
            replace(target, bytes);
        }
    }

    private static void writeStream(Path target, byte[] bytes) throws IOException {
        // No CREATE, no TRUNCATE: a device or a pipe is written to as it is.
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
    }

    private static void replace(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        // createTempFile: O_EXCL, an unpredictable name and mode 0600, safe in a directory others can write (/tmp).
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static BasicFileAttributes attributes(Path path, LinkOption... options) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

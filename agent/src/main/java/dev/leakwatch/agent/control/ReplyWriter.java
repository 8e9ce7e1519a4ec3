package dev.leakwatch.agent.control;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link Reply} so that only the JVM's user can read it. The client makes the reply's directory owner-only
 * for the one call; the checks here refuse a path that is not such a directory, since the answer may carry the
 * recording's paths and findings: a directory of another user or one others may write to (where anyone could have
 * planted a link), a symbolic link in the directory's place, or anything already at the file's name.
 */
final class ReplyWriter {
    private static final Set<PosixFilePermission> OTHERS_MAY_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private ReplyWriter() {
    }

    /** @throws IOException with one line saying why the reply was refused or could not be written */
    static void write(Path reply, Reply content) throws IOException {
        Path directory = reply.getParent();
        PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException("reply directory " + directory + " is not a directory (a link?): refused");
        }
        if (attributes.permissions().stream().anyMatch(OTHERS_MAY_WRITE::contains)) {
            throw new IOException("reply directory " + directory + " may be written by other users ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "): refused");
        }
        if (!ownedByThisJvmsUser(directory)) {
            throw new IOException("reply directory " + directory + " belongs to " + attributes.owner().getName()
                    + ", not to this JVM's user: refused");
        }
        // CREATE_NEW: O_EXCL, which fails on anything at that name, a symbolic link included, instead of following it.
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(reply,
                Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE))))) {
            out.write(content.encode());
        } catch (FileAlreadyExistsException e) {
            throw new IOException("something is already at reply path " + reply + ": refused, not overwritten");
        }
    }

    /**
     * Compares user ids on Linux, where the JVM's user may have no name (a container's arbitrary user id), and the
     * user's name elsewhere.
     */
    private static boolean ownedByThisJvmsUser(Path directory) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            List<String> lines = Files.readAllLines(status);
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    // Uid: real effective saved filesystem; files are created with the filesystem one.
                    String[] ids = line.substring("Uid:".length()).trim().split("\\s+");
                    Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                    return ids.length == 4 && owner instanceof Integer uid && uid == Integer.parseUnsignedInt(ids[3]);
                }
            }
        }
        return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
    }
}

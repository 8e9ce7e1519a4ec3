package dev.leakwatch.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A directory that only this JVM's user can write, holding files that only it (or whom {@code fileMode} names) can
 * read. Everything leakwatch writes goes through one: snapshot segments, reports, and the temporary files behind them.
 *
 * <p>The threat is a second local user who can write where we write: with write access to the directory they could
 * plant {@code .leak-report.txt.tmp -> /victim/file} and have the agent, running as the victim, truncate that file.
 * So the directory is checked once when opened, without following a link: it must be owned by the JVM's user and
 * writable by nobody else; otherwise it is refused ({@link UnsafeDirectoryException}) and nothing is written there.
 * Files are created with {@code CREATE_NEW} (O_EXCL) and never opened through a symbolic link.
 *
 * <p>Where the platform offers a {@link SecureDirectoryStream} (Linux), every operation is relative to the directory
 * that was checked (openat, renameat, unlinkat), so swapping the directory for a link after the check redirects
 * nothing. Elsewhere the operations go by path with {@link LinkOption#NOFOLLOW_LINKS}.
 *
 * <p>A directory that is deleted (or replaced) while open goes on existing for the open handle only: writes would land
 * in an unlinked directory that nobody can read. {@link #isCurrent()} tells; the owner then opens the path anew.
 */
public final class PrivateDirectory implements Closeable {
    /** Owner-only: the default for every file leakwatch writes. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;
    private final Set<PosixFilePermission> fileMode;
    private final Object fileKey;
    private final SecureDirectoryStream<Path> handle; // null where the platform has none

    private PrivateDirectory(
            Path path, Set<PosixFilePermission> fileMode, Object fileKey, SecureDirectoryStream<Path> handle) {
        this.path = path;
        this.fileMode = fileMode;
        this.fileKey = fileKey;
        this.handle = handle;
    }

    /**
     * Opens {@code directory}, creating it (and missing parents) with the directory form of {@code fileMode} when it
     * does not exist.
     *
     * @throws UnsafeDirectoryException when it exists but is a link, not a directory, not ours, or writable by others
     * @throws IOException              when it cannot be created or read
     */
    public static PrivateDirectory open(Path directory, Set<PosixFilePermission> fileMode) throws IOException {
        Path path = directory.toAbsolutePath().normalize();
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            createDirectory(path, posix ? directoryMode(fileMode) : null);
        }
        BasicFileAttributes checked = check(path, posix);
        SecureDirectoryStream<Path> handle = null;
        DirectoryStream<Path> stream = Files.newDirectoryStream(path);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            Object opened = secure.getFileAttributeView(BasicFileAttributeView.class)
                    .readAttributes()
                    .fileKey();
            if (opened == null || !opened.equals(checked.fileKey())) {
                secure.close();
                throw new UnsafeDirectoryException(path + " changed while it was being opened (replaced by another"
                        + " directory or a link); not recording there");
            }
            handle = secure;
        } else {
            stream.close();
        }
        return new PrivateDirectory(path, posix ? EnumSet.copyOf(fileMode) : null, checked.fileKey(), handle);
    }

    /**
     * Checks {@code directory} as {@link #open} would, without creating it: nothing happens when it does not exist.
     * For a refusal that must come before any work, where the directory itself should appear only with the first
     * file.
     *
     * @throws UnsafeDirectoryException when it exists but is a link, not a directory, not ours, or writable by others
     * @throws IOException              when it exists and cannot be read
     */
    public static void checkIfPresent(Path directory) throws IOException {
        Path path = directory.toAbsolutePath().normalize();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            check(path, path.getFileSystem().supportedFileAttributeViews().contains("posix"));
        }
    }

    /**
     * Creates a new directory of its own under {@code parent}, owner-only with an unpredictable name, for files that
     * must not be swapped between writing and using them (a native library to load, a jar to append).
     */
    public static PrivateDirectory createTemporary(Path parent, String prefix) throws IOException {
        Path created = parent.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempDirectory(
                        parent, prefix, PosixFilePermissions.asFileAttribute(directoryMode(OWNER_ONLY)))
                : Files.createTempDirectory(parent, prefix);
        return open(created, OWNER_ONLY);
    }

    public Path path() {
        return path;
    }

    /** Writes a new owner-only file (never one that exists) and returns its path, for APIs that take a path. */
    public Path writeNew(String name, byte[] content) throws IOException {
        try (FileChannel channel = createNew(name)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return path.resolve(name);
    }

    /** Deletes the directory's entries (not following links) and the directory itself. */
    public void deleteWithContents() throws IOException {
        for (String name : list()) {
            deleteIfExists(name);
        }
        close();
        Files.deleteIfExists(path);
    }

    /** The permissions of a directory that holds files of {@code fileMode}: its read bits, plus search. */
    public static Set<PosixFilePermission> directoryMode(Set<PosixFilePermission> fileMode) {
        Set<PosixFilePermission> mode = EnumSet.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        if (fileMode.contains(PosixFilePermission.GROUP_READ)) {
            mode.add(PosixFilePermission.GROUP_READ);
            mode.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (fileMode.contains(PosixFilePermission.OTHERS_READ)) {
            mode.add(PosixFilePermission.OTHERS_READ);
            mode.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return mode;
    }

    /**
     * True while the path still names the directory that was opened: false once it was deleted, renamed away or
     * replaced, or when it cannot be told.
     */
    public boolean isCurrent() {
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.isDirectory() && (fileKey == null || fileKey.equals(now.fileKey()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Creates a new file with this directory's file mode; fails when any entry (a planted link too) has the name. */
    public FileChannel createNew(String name) throws IOException {
        Set<OpenOption> options =
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel = open(
                name,
                options,
                fileMode == null
                        ? new FileAttribute<?>[0]
                        : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(fileMode)});
        try {
            if (fileMode != null) {
                // The creation mode is filtered by the umask; a deliberate fileMode=0640 must hold under umask 077 too.
                posixView(name).setPermissions(fileMode);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens an existing regular file to append to it; a link in its place is refused. */
    public FileChannel openAppend(String name) throws IOException {
        return open(name, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Renames {@code from} over {@code to} in one step, so a reader sees the old file or the new one. A link at
     * {@code to} is replaced, never followed.
     */
    public void replace(String from, String to) throws IOException {
        if (handle != null) {
            handle.move(Path.of(from), handle, Path.of(to));
            return;
        }
        try {
            Files.move(
                    path.resolve(from),
                    path.resolve(to),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(path.resolve(from), path.resolve(to), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the entry if it exists (a link itself, not what it names). */
    public void deleteIfExists(String name) throws IOException {
        try {
            if (handle != null) {
                handle.deleteFile(Path.of(name));
            } else {
                Files.deleteIfExists(path.resolve(name));
            }
        } catch (NoSuchFileException gone) {
            // nothing to delete
        }
    }

    /** The attributes of an entry, not following a link; null when there is none. */
    public BasicFileAttributes attributes(String name) throws IOException {
        try {
            if (handle != null) {
                return handle.getFileAttributeView(
                                Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            }
            return Files.readAttributes(path.resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** The names of the entries in the directory. */
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = handle != null
                ? handle.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)
                : Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        return names;
    }

    /**
     * Writes {@code content} to {@code name} so that a reader never sees half of it: into a new temporary file beside
     * it, forced to disk, then renamed over it. A crash leaves the old file or the new one.
     */
    public void writeAtomically(String name, byte[] content) throws IOException {
        String temporary = "." + name + ".tmp";
        // Whatever holds our temporary name (a file left by a crash, a link) was put there by this directory's owner,
        // the only one who can write here: it is removed, a link as a link, never what it points to
        // (FaultInjectionIT.linksPlantedAmongOurFilesAreNeverFollowed). A directory there is left alone.
        BasicFileAttributes stale = attributes(temporary);
        if (stale != null && !stale.isDirectory()) {
            deleteIfExists(temporary);
        }
        try (FileChannel channel = createNew(temporary)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            // Not an unsafe directory (that is refused for good, silently after its one line): the caller says so
            // and tries again later.
            throw new FileAlreadyExistsException(
                    path.resolve(temporary).toString(),
                    null,
                    "in the way of writing " + name + " (a directory, or an entry created again since it was removed)");
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary, e);
            throw e;
        }
        try {
            replace(temporary, name);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary, e);
            throw e;
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            try {
                handle.close();
            } catch (IOException ignored) {
                // a directory handle has nothing left to flush
            }
        }
    }

    private void deleteQuietly(String name, Exception failure) {
        try {
            deleteIfExists(name);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private FileChannel open(String name, Set<OpenOption> options, FileAttribute<?>... attributes) throws IOException {
        checkName(name);
        SeekableByteChannel channel = handle != null
                ? handle.newByteChannel(Path.of(name), options, attributes)
                : Files.newByteChannel(path.resolve(name), options, attributes);
        if (channel instanceof FileChannel file) {
            return file;
        }
        channel.close();
        throw new IOException("cannot open " + path.resolve(name) + " as a file channel");
    }

    private PosixFileAttributeView posixView(String name) {
        return handle != null
                ? handle.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                : Files.getFileAttributeView(
                        path.resolve(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
    }

    private static void createDirectory(Path path, Set<PosixFilePermission> mode) throws IOException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent); // the parents are the user's business; only the leaf must be private
        }
        try {
            if (mode == null) {
                Files.createDirectory(path);
            } else {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(mode));
                // The umask filters the creation mode; set it exactly (a narrower umask must not hide group access
                // someone asked for, nor a wider one add to it: the attribute is never wider than asked).
                Files.setPosixFilePermissions(path, mode);
            }
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile, by us or by someone else: the check that follows decides
        }
    }

    private static BasicFileAttributes check(Path path, boolean posix) throws IOException {
        if (!posix) {
            BasicFileAttributes basic =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (basic.isSymbolicLink() || !basic.isDirectory()) {
                throw new UnsafeDirectoryException(
                        path + " is " + (basic.isSymbolicLink() ? "a symbolic link" : "not a directory")
                                + "; name a directory of your own (not recording there)");
            }
            return basic;
        }
        PosixFileAttributes attributes =
                Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new UnsafeDirectoryException(path + " is a symbolic link; leakwatch writes only into a directory"
                    + " itself, so that nobody can redirect its files: name the directory it points to");
        }
        if (!attributes.isDirectory()) {
            throw new UnsafeDirectoryException(path + " exists and is not a directory; choose another output");
        }
        Object owner = ownerId(path);
        Object self = processUid();
        if (owner != null && self != null && !owner.equals(self)) {
            throw new UnsafeDirectoryException(
                    path + " belongs to another user (uid " + owner + ", this JVM runs as uid " + self
                            + "); leakwatch writes only into a directory of its own user: choose another output");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new UnsafeDirectoryException(String.format(
                    Locale.ROOT,
                    "%s is writable by %s (mode %s), who could"
                            + " plant links among its files; 'chmod go-w %s' or choose another output",
                    path,
                    permissions.contains(PosixFilePermission.OTHERS_WRITE) ? "other users" : "its group",
                    PosixFilePermissions.toString(permissions),
                    path));
        }
        return attributes;
    }

    private static Object ownerId(Path path) {
        try {
            return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null; // no unix view: the link and mode checks still hold
        }
    }

    /** The JVM's effective user id where the platform shows it; null where it cannot be told. */
    private static Object processUid() {
        try {
            // /proc/self belongs to the process's effective user; user.name is only a property anyone can set.
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

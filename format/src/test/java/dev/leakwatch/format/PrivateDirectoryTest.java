package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a second local user could try against the directory leakwatch writes into. */
class PrivateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedOwnerOnlyAndFilesAre0600() throws IOException {
        Path output = tmp.resolve("a/b/lw");
        try (PrivateDirectory dir = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            dir.writeAtomically("leak-report.txt", bytes("report"));
        }
        assertEquals("rwx------", mode(output));
        assertEquals("rw-------", mode(output.resolve("leak-report.txt")));
    }

    @Test
    void aWiderFileModeIsAppliedExactlyAndTheDirectoryGetsOnlyReadAndSearch() throws IOException {
        Path output = tmp.resolve("lw");
        EnumSet<PosixFilePermission> groupReads = EnumSet.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
        try (PrivateDirectory dir = PrivateDirectory.open(output, groupReads)) {
            dir.writeAtomically("leak-report.json", bytes("{}"));
        }
        assertEquals("rwxr-x---", mode(output));
        assertEquals("rw-r-----", mode(output.resolve("leak-report.json")));
    }

    @Test
    void aLinkAtTheTargetIsReplacedNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Path output = Files.createDirectory(tmp.resolve("lw"));
        Files.createSymbolicLink(output.resolve("leak-report.txt"), victim);
        try (PrivateDirectory dir = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            dir.writeAtomically("leak-report.txt", bytes("report"));
        }
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(output.resolve("leak-report.txt")));
        assertEquals("report", Files.readString(output.resolve("leak-report.txt")));
    }

    @Test
    void createNewNeverOpensAnExistingEntry() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Path output = Files.createDirectory(tmp.resolve("lw"));
        Files.createSymbolicLink(output.resolve("snapshots-000000.jsonl.gz"), victim);
        try (PrivateDirectory dir = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            assertThrows(
                    FileAlreadyExistsException.class,
                    () -> dir.createNew("snapshots-000000.jsonl.gz").close());
            assertThrows(
                    IOException.class,
                    () -> dir.openAppend("snapshots-000000.jsonl.gz").close());
        }
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void aSymbolicLinkAsTheDirectoryIsRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("lw"), real);
        UnsafeDirectoryException refused = assertThrows(
                UnsafeDirectoryException.class, () -> PrivateDirectory.open(link, PrivateDirectory.OWNER_ONLY));
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
    }

    @Test
    void checkingCreatesNothingAndRefusesWhatOpeningWould() throws IOException {
        Path missing = tmp.resolve("a/lw");
        PrivateDirectory.checkIfPresent(missing);
        assertFalse(Files.exists(tmp.resolve("a")), "a check creates no directory, not even a parent");
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("lw"), real);
        assertThrows(UnsafeDirectoryException.class, () -> PrivateDirectory.checkIfPresent(link));
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(UnsafeDirectoryException.class, () -> PrivateDirectory.checkIfPresent(shared));
        PrivateDirectory.checkIfPresent(real);
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        UnsafeDirectoryException refused = assertThrows(
                UnsafeDirectoryException.class, () -> PrivateDirectory.open(shared, PrivateDirectory.OWNER_ONLY));
        assertTrue(refused.getMessage().contains("writable by other users"), refused.getMessage());
        assertTrue(refused.getMessage().contains("chmod go-w"), refused.getMessage());
        try (var entries = Files.list(shared)) {
            assertEquals(0, entries.count(), "nothing written");
        }
    }

    @Test
    void aGroupWritableDirectoryIsRefused() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        UnsafeDirectoryException refused = assertThrows(
                UnsafeDirectoryException.class, () -> PrivateDirectory.open(shared, PrivateDirectory.OWNER_ONLY));
        assertTrue(refused.getMessage().contains("its group"), refused.getMessage());
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws IOException {
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        UserPrincipal nobody;
        try {
            nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(theirs, nobody);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "cannot give a directory to user nobody here (needs root): " + e);
            return;
        }
        UnsafeDirectoryException refused = assertThrows(
                UnsafeDirectoryException.class, () -> PrivateDirectory.open(theirs, PrivateDirectory.OWNER_ONLY));
        assertTrue(refused.getMessage().contains("belongs to another user"), refused.getMessage());
    }

    @Test
    void aDirectoryReplacedAfterOpeningIsNoLongerCurrent() throws IOException {
        Path output = tmp.resolve("lw");
        try (PrivateDirectory dir = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            assertTrue(dir.isCurrent());
            Files.move(output, tmp.resolve("moved"));
            Files.createDirectory(output);
            assertFalse(dir.isCurrent());
        }
    }

    @Test
    void aTemporaryDirectoryIsOwnerOnlyAndGoesWithItsContents() throws IOException {
        PrivateDirectory dir = PrivateDirectory.createTemporary(tmp, "leakwatch-");
        Path file = dir.writeNew("libleakwatch.so", bytes("ELF"));
        assertEquals("rwx------", mode(dir.path()));
        assertEquals("rw-------", mode(file));

        dir.deleteWithContents();

        assertFalse(Files.exists(dir.path(), LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * A link under the temporary name, in a directory only its owner can write, was made by that owner: it is removed
     * as a link, the file it names is never written, and the report is written (it used to be skipped silently at
     * every refresh).
     */
    @Test
    void aLinkPlantedUnderTheTemporaryNameIsRemovedNotFollowed() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Path output = tmp.resolve("out");
        try (PrivateDirectory directory = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            Files.createSymbolicLink(output.resolve(".leak-report.txt.tmp"), victim);

            directory.writeAtomically("leak-report.txt", "report\n".getBytes(StandardCharsets.UTF_8));
        }

        assertEquals("precious", Files.readString(victim));
        Path report = output.resolve("leak-report.txt");
        assertTrue(Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS));
        assertEquals("report\n", Files.readString(report));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
        assertFalse(Files.exists(output.resolve(".leak-report.txt.tmp"), LinkOption.NOFOLLOW_LINKS));
    }

    /** A directory in the way is not ours to remove: the write fails, and says so, but the directory is not refused. */
    @Test
    void aDirectoryUnderTheTemporaryNameFailsTheWriteWithoutRefusingTheDirectory() throws IOException {
        Path output = tmp.resolve("out");
        try (PrivateDirectory directory = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            Files.createDirectory(output.resolve(".leak-report.txt.tmp"));

            IOException failure =
                    assertThrows(IOException.class, () -> directory.writeAtomically("leak-report.txt", new byte[] {1}));

            assertTrue(failure instanceof FileAlreadyExistsException, failure.toString());
            assertFalse(failure instanceof UnsafeDirectoryException, failure.toString());
            directory.writeAtomically("leak-report.json", new byte[] {1});
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

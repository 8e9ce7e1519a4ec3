package dev.leakwatch.analyzer.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
    @TempDir
    Path root;

    /**
     * A link under the temporary name, in a directory only its owner can write, was made by that owner: it is removed
     * as a link, the file it names is never written, and the report is written (it used to be skipped silently at
     * every refresh).
     */
    @Test
    void aLinkPlantedUnderTheTemporaryNameIsRemovedNotFollowed() throws IOException {
        Path victim = Files.writeString(root.resolve("victim"), "precious");
        Path output = root.resolve("out");
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
        Path output = root.resolve("out");
        try (PrivateDirectory directory = PrivateDirectory.open(output, PrivateDirectory.OWNER_ONLY)) {
            Files.createDirectory(output.resolve(".leak-report.txt.tmp"));

            IOException failure = assertThrows(IOException.class,
                    () -> directory.writeAtomically("leak-report.txt", new byte[] {1}));

            assertTrue(failure instanceof FileAlreadyExistsException, failure.toString());
            assertFalse(failure instanceof UnsafeDirectoryException, failure.toString());
            directory.writeAtomically("leak-report.json", new byte[] {1});
        }
    }
}

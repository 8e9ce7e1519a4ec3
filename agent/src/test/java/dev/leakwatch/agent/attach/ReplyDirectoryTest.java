package dev.leakwatch.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.agent.control.ControlRequest;
import dev.leakwatch.agent.control.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's side of a reply: an owner-only directory in the target's temporary directory, gone afterwards. */
class ReplyDirectoryTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path targetTmp;

    @Test
    void ownerOnlyInTheTargetsTemporaryDirectoryAndRemovedWithTheReply() throws IOException {
        Path replyInTarget;
        try (ReplyDirectory directory = ReplyDirectory.create(SELF, tmpdir(targetTmp.toString()))) {
            replyInTarget = directory.replyInTarget();
            Path created = replyInTarget.getParent();
            assertEquals(targetTmp, created.getParent());
            assertTrue(created.getFileName().toString().startsWith(ReplyDirectory.PREFIX), created.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
            assertEquals(Optional.empty(), directory.read(), "no reply yet");

            new ControlRequest(ControlCommand.STATUS, replyInTarget).answer(null);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(replyInTarget)));
            assertEquals(Optional.of(new Reply(Reply.Outcome.NOT_RECORDING, "")), directory.read());
        }
        assertFalse(Files.exists(replyInTarget));
        assertEquals(List.of(), entries(targetTmp), "the directory is removed");
    }

    @Test
    void removedWhenTheReplyIsGarbage() throws IOException {
        ReplyDirectory directory = ReplyDirectory.create(SELF, tmpdir(targetTmp.toString()));
        try (directory) {
            Files.writeString(directory.replyInTarget(), "HTTP/1.1 200 OK\n");
            assertThrows(IllegalArgumentException.class, directory::read);
        }
        assertEquals(List.of(), entries(targetTmp));
    }

    @Test
    void aRelativeTemporaryDirectoryIsTheTargetsWorkingDirectorys() throws IOException {
        Files.createDirectories(targetTmp.resolve("work/tmp"));
        Properties properties = tmpdir("tmp");
        properties.setProperty("user.dir", targetTmp.resolve("work").toString());
        try (ReplyDirectory directory = ReplyDirectory.create(SELF, properties)) {
            assertEquals(
                    targetTmp.resolve("work/tmp"),
                    directory.replyInTarget().getParent().getParent());
        }
        assertEquals(List.of(), entries(targetTmp.resolve("work/tmp")));
    }

    @Test
    void aMissingTemporaryDirectoryFails() {
        assertThrows(
                IOException.class,
                () -> ReplyDirectory.create(
                        SELF, tmpdir(targetTmp.resolve("gone").toString())));
    }

    private static Properties tmpdir(String path) {
        Properties properties = new Properties();
        properties.setProperty("java.io.tmpdir", path);
        return properties;
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}

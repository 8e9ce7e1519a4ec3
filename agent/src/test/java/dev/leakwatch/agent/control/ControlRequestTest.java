package dev.leakwatch.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlRequestTest {
    @TempDir
    Path temp;

    @Test
    void travelsInTheAgentsArguments() {
        Path reply = Path.of("/tmp/leakwatch-control-1,2=3/reply");
        ControlRequest request = new ControlRequest(ControlCommand.SNAPSHOT, reply);
        assertEquals("command=snapshot,reply=/tmp/leakwatch-control-1,2=3/reply", request.toAgentArguments());
        assertTrue(ControlRequest.isRequest(request.toAgentArguments()));
        assertEquals(request, ControlRequest.parse(request.toAgentArguments()), "the path keeps its commas");
        for (ControlCommand command : ControlCommand.values()) {
            assertEquals(
                    command,
                    ControlRequest.parse(new ControlRequest(command, reply).toAgentArguments())
                            .command());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"output=/tmp/x,interval=1s", "", "interval=command=status"})
    void optionsAreNotARequest(String arguments) {
        assertFalse(ControlRequest.isRequest(arguments));
        assertFalse(ControlRequest.isRequest(null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "command=status",
                "command=format,reply=/tmp/r",
                "command=status,reply=relative/reply",
                "command=status,reply=/"
            })
    void malformedRequestsAreRefused(String arguments) {
        assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse(arguments));
    }

    @Test
    void withoutASessionTheAnswerIsNotRecordingInAnOwnerOnlyFile() throws IOException {
        Path directory = ownerOnlyDirectory();
        Path reply = directory.resolve("reply");
        new ControlRequest(ControlCommand.STATUS, reply).answer(null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(reply)));
        assertEquals(new Reply(Reply.Outcome.NOT_RECORDING, ""), Reply.decode(Files.readAllBytes(reply)));
    }

    @Test
    void aStoppedSessionIsNotRecordingAndIsNotAsked() throws IOException {
        FakeControl stopped = new FakeControl(false);
        Path reply = ownerOnlyDirectory().resolve("reply");
        new ControlRequest(ControlCommand.STOP, reply).answer(stopped);
        assertEquals(
                Reply.Outcome.NOT_RECORDING,
                Reply.decode(Files.readAllBytes(reply)).outcome());
        assertEquals(0, stopped.calls.get());
    }

    @Test
    void theCommandsAnswerAndFailuresGoIntoTheReply() throws IOException {
        Path directory = ownerOnlyDirectory();
        new ControlRequest(ControlCommand.REPORT, directory.resolve("report")).answer(new FakeControl(true));
        assertEquals(
                new Reply(Reply.Outcome.OK, "report\nof two lines\n"),
                Reply.decode(Files.readAllBytes(directory.resolve("report"))));
        new ControlRequest(ControlCommand.SNAPSHOT, directory.resolve("snapshot")).answer(new FakeControl(true));
        assertEquals(
                new Reply(Reply.Outcome.FAILED, "snapshot failed: IllegalStateException (heap gone)"),
                Reply.decode(Files.readAllBytes(directory.resolve("snapshot"))));
    }

    @Test
    void aPlantedSymlinkIsNotFollowed() throws IOException {
        Path directory = ownerOnlyDirectory();
        Path victim = Files.writeString(temp.resolve("victim"), "precious");
        Path reply = Files.createSymbolicLink(directory.resolve("reply"), victim);
        Path dangling = Files.createSymbolicLink(directory.resolve("dangling"), temp.resolve("created-through-link"));

        IOException refused =
                assertThrows(IOException.class, () -> new ControlRequest(ControlCommand.STATUS, reply).answer(null));
        assertTrue(refused.getMessage().contains("refused, not overwritten"), refused.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertThrows(IOException.class, () -> new ControlRequest(ControlCommand.STATUS, dangling).answer(null));
        assertFalse(Files.exists(temp.resolve("created-through-link")));
    }

    @Test
    void aFileAlreadyThereIsNotOverwritten() throws IOException {
        Path reply = Files.writeString(ownerOnlyDirectory().resolve("reply"), "earlier");
        assertThrows(IOException.class, () -> new ControlRequest(ControlCommand.STATUS, reply).answer(null));
        assertEquals("earlier", Files.readString(reply));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxrwx---", "rwx---rwx", "rwxrwxrwx"})
    void aDirectoryOthersMayWriteIsRefused(String permissions) throws IOException {
        Path directory = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(permissions));
        IOException refused = assertThrows(
                IOException.class,
                () -> new ControlRequest(ControlCommand.STATUS, directory.resolve("reply")).answer(null));
        assertTrue(refused.getMessage().startsWith(directory + " is writable by "), refused.getMessage());
        assertFalse(Files.exists(directory.resolve("reply")));
    }

    @Test
    void aLinkInTheDirectorysPlaceIsRefused() throws IOException {
        Path real = ownerOnlyDirectory();
        Path link = Files.createSymbolicLink(temp.resolve("link"), real);
        IOException refused = assertThrows(
                IOException.class, () -> new ControlRequest(ControlCommand.STATUS, link.resolve("reply")).answer(null));
        assertTrue(refused.getMessage().contains("is not a directory"), refused.getMessage());
        assertFalse(Files.exists(real.resolve("reply")));
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory to another user");
        Path directory = ownerOnlyDirectory();
        UserPrincipal nobody =
                directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(directory, nobody);
        IOException refused = assertThrows(
                IOException.class,
                () -> new ControlRequest(ControlCommand.STATUS, directory.resolve("reply")).answer(null));
        assertTrue(refused.getMessage().startsWith(directory + " belongs to another user"), refused.getMessage());
        assertFalse(Files.exists(directory.resolve("reply"), LinkOption.NOFOLLOW_LINKS));
    }

    private Path ownerOnlyDirectory() throws IOException {
        return Files.createTempDirectory(
                temp, "reply-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** A session's control: a report of two lines, a snapshot that fails. */
    private static final class FakeControl implements AgentControlMBean {
        final AtomicInteger calls = new AtomicInteger();
        private final boolean recording;

        FakeControl(boolean recording) {
            this.recording = recording;
        }

        @Override
        public boolean isRecording() {
            return recording;
        }

        @Override
        public String getOutputDirectory() {
            return "/out";
        }

        @Override
        public long getSnapshotsSaved() {
            return 0;
        }

        @Override
        public String getWriting() {
            return "ok";
        }

        @Override
        public String getOptions() {
            return "";
        }

        @Override
        public long getSnapshotsTaken() {
            return 0;
        }

        @Override
        public int getSuspectCount() {
            return 0;
        }

        @Override
        public int getVerdictCode() {
            return ReportMetrics.NOT_ENOUGH_DATA;
        }

        @Override
        public double getWorstGrowthBytesPerMinute() {
            return 0;
        }

        @Override
        public double getMinutesToHeapExhaustion() {
            return Double.NaN;
        }

        @Override
        public double getSnapshotOverheadPercent() {
            return 0;
        }

        @Override
        public long getAgentErrors() {
            return 0;
        }

        @Override
        public String getStatus() {
            calls.incrementAndGet();
            return "recording to /out";
        }

        @Override
        public String takeSnapshot() {
            calls.incrementAndGet();
            throw new IllegalStateException("heap gone");
        }

        @Override
        public String getHolders() {
            return "holders: auto";
        }

        @Override
        public String findHolders() {
            calls.incrementAndGet();
            return "no suspects to search holders for";
        }

        @Override
        public String refreshReport() {
            calls.incrementAndGet();
            return "report\nof two lines\n";
        }

        @Override
        public String stop() {
            calls.incrementAndGet();
            return "stopped";
        }
    }
}

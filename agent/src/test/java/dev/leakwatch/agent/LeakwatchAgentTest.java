package dev.leakwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leakwatch.agent.control.ControlCommand;
import dev.leakwatch.agent.control.ControlRequest;
import dev.leakwatch.agent.control.RecordingProperty;
import dev.leakwatch.agent.control.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command form of {@code agentmain}, in this JVM, where no session records. */
class LeakwatchAgentTest {
    @TempDir
    Path temp;

    @Test
    void everyCommandWithoutASessionAnswersNotRecordingAndStartsNothing() throws IOException {
        Path directory = Files.createTempDirectory(
                temp,
                "leakwatch-control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (ControlCommand command : ControlCommand.values()) {
            Path reply = directory.resolve(command.wireName());
            LeakwatchAgent.agentmain(new ControlRequest(command, reply).toAgentArguments(), null);
            assertEquals(
                    new Reply(Reply.Outcome.NOT_RECORDING, ""),
                    Reply.decode(Files.readAllBytes(reply)),
                    command.wireName());
        }
        assertNull(System.getProperty(RecordingProperty.NAME), "no recording started");
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(thread -> thread.getName().startsWith("leakwatch")),
                "no thread of ours started");
        assertFalse(Files.exists(Path.of("leakwatch-" + ProcessHandle.current().pid())), "no default output directory");
    }

    @Test
    void aRefusedReplyDoesNotThrowIntoTheHost() throws IOException {
        Path victim = Files.writeString(temp.resolve("victim"), "precious");
        Path directory = Files.createTempDirectory(
                temp,
                "leakwatch-control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path reply = Files.createSymbolicLink(directory.resolve("reply"), victim);
        LeakwatchAgent.agentmain(new ControlRequest(ControlCommand.STOP, reply).toAgentArguments(), null);
        LeakwatchAgent.agentmain("command=nonsense", null);
        assertEquals("precious", Files.readString(victim));
    }
}

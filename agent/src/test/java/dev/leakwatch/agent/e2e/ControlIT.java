package dev.leakwatch.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.e2e.AttachCommand.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What the commands leave in the target: no listening socket (issue 11: the control once went through the JVM's
 * local JMX connector, which listens on all interfaces and stays open), no reply file, and no recording where none
 * was asked for. Each target gets its own {@code java.io.tmpdir}, so that what the client leaves in it is the
 * client's doing, and so that the reply is shown to go where the target, not the client, keeps its temporary files.
 */
@Tag("e2e")
@Execution(ExecutionMode.CONCURRENT)
class ControlIT {
    @Test
    void noCommandLeavesAListeningSocketOrAReplyFileInTheTarget(@TempDir Path workDir) throws Exception {
        assumeTrue(
                ListeningSockets.available(),
                "no /proc/<pid>/net/tcp and /proc/<pid>/fd here: listening sockets" + " cannot be told apart");
        Path targetTmp = Files.createDirectories(workDir.resolve("target-tmp"));
        try (ForkedJvm target =
                AttachIT.startTarget(ForkedJvm.DEFAULT_JAVA, List.of("-Djava.io.tmpdir=" + targetTmp), workDir)) {
            String pid = String.valueOf(target.pid());
            Set<String> before = ListeningSockets.of(target.pid());
            Path output = workDir.resolve("out");
            List<String[]> commands = List.of(
                    new String[] {"attach", pid, "output=" + output + ",interval=1s"},
                    new String[] {"status", pid},
                    new String[] {"snapshot", pid},
                    new String[] {"report", pid},
                    new String[] {"holders", pid},
                    new String[] {"stop", pid});
            for (String[] command : commands) {
                Result result = AttachCommand.run(command);
                // report exits with its verdict's status: 0, 3 or 4 (this early, most likely 4: not enough data).
                boolean verdictExit =
                        command[0].equals("report") && List.of(3, 4).contains(result.exit());
                AttachIT.assertSucceeded(result, verdictExit ? result.exit() : 0, target);
                assertEquals(
                        before,
                        ListeningSockets.of(target.pid()),
                        () -> "new listening socket in the target after '" + command[0] + "'\n" + result.describe());
                assertEquals(
                        List.of(),
                        entries(targetTmp),
                        "left in the target's temporary directory after '" + command[0] + "'");
            }
            assertTrue(target.stderr().contains("[leakwatch] stopped; files kept in " + output), target::stderr);
        }
    }

    /**
     * A JVM that claims a recording (the property the client checks first) but runs none: the command reaches the
     * agent, which answers "not recording" and starts nothing.
     */
    @Test
    void aCommandWhereLeakwatchDoesNotRecordExits17AndStartsNothing(@TempDir Path workDir) throws Exception {
        Path targetTmp = Files.createDirectories(workDir.resolve("target-tmp"));
        Path claimed = workDir.resolve("claimed");
        try (ForkedJvm target = AttachIT.startTarget(
                ForkedJvm.DEFAULT_JAVA,
                List.of("-Djava.io.tmpdir=" + targetTmp, "-Dleakwatch.recording=" + claimed),
                workDir)) {
            String pid = String.valueOf(target.pid());
            Set<String> before = ListeningSockets.available() ? ListeningSockets.of(target.pid()) : Set.of();
            for (String command : List.of("status", "snapshot", "report", "holders", "stop")) {
                Result result = AttachCommand.run(command, pid);
                AttachErrorsIT.assertFailed(result, 17, "leakwatch: leakwatch is not recording in pid " + pid);
                assertEquals(
                        List.of(),
                        entries(targetTmp),
                        "left in the target's temporary directory after '" + command + "'");
                if (ListeningSockets.available()) {
                    assertEquals(before, ListeningSockets.of(target.pid()), "after '" + command + "'");
                }
            }
            assertTrue(target.isAlive(), target::stderr);
            assertFalse(target.stderr().contains("[leakwatch] recording"), target::stderr);
            assertFalse(Files.exists(claimed), "no recording directory");
            assertFalse(Files.exists(workDir.resolve("target").resolve("leakwatch-" + pid)), "no default recording");
        }
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("leakwatch-control"))
                    .sorted()
                    .toList();
        }
    }
}

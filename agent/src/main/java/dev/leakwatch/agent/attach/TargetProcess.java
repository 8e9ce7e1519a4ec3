package dev.leakwatch.agent.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What can be learnt about a process before attaching to it, so that each reason an attach cannot work gets its own
 * message instead of the attach API's generic exception.
 */
final class TargetProcess {
    private final long pid;
    private final ProcessHandle handle;
    private final String program;

    private TargetProcess(long pid, ProcessHandle handle, String program) {
        this.pid = pid;
        this.handle = handle;
        this.program = program;
    }

    static TargetProcess find(String pidText) throws AttachException {
        return find(pidText, AttachInvocation.program());
    }

    /** @param program what the user typed to run the client, for the hints in the messages about this process */
    static TargetProcess find(String pidText, String program) throws AttachException {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            throw new AttachException(
                    AttachExit.USAGE, "'" + pidText + "' is not a process id (see: " + program + " list)");
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            throw new AttachException(
                    AttachExit.NO_SUCH_PROCESS, "no process with pid " + pid + " (see: " + program + " list)");
        }
        return new TargetProcess(pid, handle.get(), program);
    }

    long pid() {
        return pid;
    }

    /** What the user typed to run the client: {@code leakwatch} or {@code java -jar leakwatch-agent.jar}. */
    String program() {
        return program;
    }

    boolean isAlive() {
        return handle.isAlive();
    }

    /** Fails unless this user may attach: the JVM's attach socket only accepts its own user. */
    void checkSameUser() throws AttachException {
        String me = System.getProperty("user.name");
        Optional<String> owner = handle.info().user();
        if (owner.isPresent() && !owner.get().equals(me)) {
            throw new AttachException(
                    AttachExit.OTHER_USER,
                    "pid " + pid + " belongs to user " + owner.get() + ", not " + me
                            + "; run leakwatch as that user (for example: sudo -u " + owner.get()
                            + " " + program + " ...)");
        }
    }

    /**
     * Fails with the precise reason when the process is not a JVM that accepts attach. Where this Java cannot list
     * JVMs (no {@code jdk.attach} module), the process is judged as an unlisted one.
     */
    void checkAttachableJvm() throws AttachException {
        boolean listed = AttachMechanism.listJvms().orElse(List.of()).stream()
                .anyMatch(jvm -> jvm.pid().equals(String.valueOf(pid)));
        if (listed && !handlesQuitSignal(String.valueOf(pid))) {
            throw new AttachException(
                    AttachExit.FAILED,
                    "pid " + pid + " is still starting up (attaching now could" + " stop it); try again in a moment");
        }
        if (listed) {
            return;
        }
        if (!runsJvm()) {
            throw new AttachException(
                    AttachExit.NOT_A_JVM,
                    "pid " + pid + " is not a Java virtual machine ("
                            + handle.info().command().orElse("unknown command") + ")");
        }
        if (hasAttachDisabled()) {
            throw attachDisabled();
        }
        // A JVM not listed may run with -XX:-UsePerfData or in another container's /tmp: let the attach try.
    }

    AttachException attachDisabled() {
        return new AttachException(
                AttachExit.ATTACH_DISABLED,
                "pid " + pid + " does not accept attach (it runs with"
                        + " -XX:+DisableAttachMechanism); restart it without that flag, or with -javaagent:leakwatch-agent.jar");
    }

    /**
     * Whether the process has installed a SIGQUIT handler. The Java 17 attach client sends SIGQUIT without checking;
     * a JVM still starting up (listed, but its handler not yet installed) would die of it. True where it cannot be
     * told (no /proc).
     */
    static boolean handlesQuitSignal(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("SigCgt:")) {
                    long caught = Long.parseUnsignedLong(
                            line.substring("SigCgt:".length()).trim(), 16);
                    return (caught & (1L << (3 - 1))) != 0;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private boolean runsJvm() {
        try {
            String maps = Files.readString(Path.of("/proc", String.valueOf(pid), "maps"));
            return maps.contains("libjvm.so") || maps.contains("libjvm.dylib");
        } catch (IOException | RuntimeException e) {
            // No /proc (macOS) or not readable: judge by the command.
            return handle.info()
                    .command()
                    .map(command -> command.endsWith("java") || command.contains("/java"))
                    .orElse(false);
        }
    }

    private boolean hasAttachDisabled() {
        return handle.info()
                .arguments()
                .map(arguments -> {
                    for (String argument : arguments) {
                        if (argument.equals("-XX:+DisableAttachMechanism")) {
                            return true;
                        }
                    }
                    return false;
                })
                .orElse(false);
    }
}

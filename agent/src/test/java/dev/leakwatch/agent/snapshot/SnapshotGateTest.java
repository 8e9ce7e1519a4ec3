package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.snapshot.SnapshotGate.Verdict;
import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.format.PrivateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotGateTest {
    private static final long DISK = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private final CapturedLog captured = new CapturedLog();
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong clock = new AtomicLong();

    @Test
    void aSnapshotIsTakenWhenItCanBeWrittenAndTheHeapHasRoom() {
        SnapshotGate gate = gate(writer(dir, channel -> channel));

        assertEquals(Verdict.TAKE, gate.check());
        assertEquals(Verdict.TAKE, gate.check());
        assertFalse(gate.isWaitingForRoom());
        assertEquals(List.of(), captured.lines());
    }

    /**
     * On a nearly full heap a snapshot waits, so that its allocations cannot throw the OutOfMemoryErrors the JVM
     * prints with stack traces (FaultInjectionIT): one line when the wait starts, one when it ends.
     */
    @Test
    void aSnapshotWaitsWhileTheHeapHasNoRoomForIt() {
        SnapshotGate gate = gate(writer(dir, channel -> channel));
        free.set(0);

        assertEquals(Verdict.SKIP, gate.check());
        assertEquals(Verdict.SKIP, gate.check());
        assertTrue(gate.isWaitingForRoom());
        assertEquals(
                List.of("[leakwatch] the heap is nearly full (0 MB free after the latest collection, a snapshot"
                        + " needs about 4 MB): snapshots wait until a collection leaves room, so that an OutOfMemoryError is"
                        + " the application's own"),
                captured.lines());

        free.set(Long.MAX_VALUE);
        assertEquals(Verdict.TAKE, gate.check());
        assertEquals(Verdict.TAKE, gate.check());
        assertFalse(gate.isWaitingForRoom());
        assertEquals(2, captured.lines().size(), captured.lines().toString());
        assertEquals(
                "[leakwatch] the heap has room again: snapshots go on",
                captured.lines().get(1));
        assertEquals(0, captured.log.suppressedErrors());
    }

    /** A snapshot taken while writing is paused would cost a forced GC and be lost. */
    @Test
    void noSnapshotIsTakenWhileWritingIsPausedUntilARetryIsDue() {
        SnapshotWriter writer = writer(dir, channel -> {
            channel.close();
            throw new IOException("No space left on device");
        });
        SnapshotGate gate = gate(writer);
        assertFalse(writer.write(TestSnapshots.snapshot(0)));
        free.set(0);

        assertEquals(Verdict.SKIP, gate.check());
        assertFalse(gate.isWaitingForRoom(), "the heap was not even asked");

        free.set(Long.MAX_VALUE);
        clock.addAndGet(WriteBackoff.FIRST_RETRY.toNanos());
        assertEquals(Verdict.TAKE, gate.check());
    }

    @Test
    void aRefusedDirectoryStopsTheRecording() throws IOException {
        Path regularFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        SnapshotGate gate = gate(writer(regularFile, channel -> channel));

        assertEquals(Verdict.STOP, gate.check());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(
                captured.lines().get(0).contains("not a directory"),
                captured.lines().get(0));
    }

    private SnapshotGate gate(SnapshotWriter writer) {
        return new SnapshotGate(writer, new HeapHeadroom(free::get), captured.log);
    }

    private SnapshotWriter writer(Path output, SnapshotWriter.ChannelDecorator channels) {
        return new SnapshotWriter(
                new OutputDirectory(output, PrivateDirectory.OWNER_ONLY, captured.log),
                DISK,
                DISK / 16,
                captured.log,
                clock::get,
                channels);
    }
}

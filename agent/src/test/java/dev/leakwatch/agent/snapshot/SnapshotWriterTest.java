package dev.leakwatch.agent.snapshot;

import static dev.leakwatch.agent.snapshot.TestSnapshots.gzipMember;
import static dev.leakwatch.agent.snapshot.TestSnapshots.read;
import static dev.leakwatch.agent.snapshot.TestSnapshots.readAll;
import static dev.leakwatch.agent.snapshot.TestSnapshots.segments;
import static dev.leakwatch.agent.snapshot.TestSnapshots.snapshot;
import static dev.leakwatch.agent.snapshot.TestSnapshots.totalSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.agent.snapshot.TestSnapshots.SegmentContent;
import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
    private static final long MB = 1024 * 1024;
    // One synthetic record compressed; the tests size segments and caps in records.
    private static final int RECORD = gzipMember(snapshot(0)).length;

    @TempDir
    Path dir;

    private final CapturedLog captured = new CapturedLog();
    private final AtomicLong clock = new AtomicLong();

    @Test
    void recordsComeBackAsWritten() throws IOException {
        Path output = dir.resolve("not/yet/there");
        SnapshotWriter writer = writer(output, 64 * MB, 16 * MB, captured.log);
        List<Snapshot> written = writeAll(writer, 0, 5);

        assertEquals(written, readAll(output));
        assertEquals(List.of(output.resolve(SnapshotFormat.segmentFileName(0))), segments(output));
        assertEquals(5, writer.recordsWritten());
        assertEquals(totalSize(output), writer.bytesOnDisk());
        assertTrue(writer.isWriting());
        assertEquals(List.of(), captured.lines());
    }

    @Test
    void startsANewSegmentWhenTheCurrentOneIsFull() throws IOException {
        SnapshotWriter writer = writer(dir, 64 * MB, RECORD * 5L / 2, captured.log);
        List<Snapshot> written = writeAll(writer, 0, 7);

        List<Path> segments = segments(dir);
        assertEquals(4, segments.size(), "two records per segment: " + segments);
        for (Path segment : segments) {
            assertTrue(Files.size(segment) <= RECORD * 5L / 2 + 16, segment + " holds " + Files.size(segment));
        }
        assertEquals(written, readAll(dir));
        assertEquals(totalSize(dir), writer.bytesOnDisk());
    }

    @Test
    void theDiskCapDeletesTheOldestSegments() throws IOException {
        long cap = RECORD * 5L + RECORD / 2;
        SnapshotWriter writer = writer(dir, cap, RECORD * 3L / 2, captured.log);
        List<Snapshot> written = new ArrayList<>();
        for (long sequence = 0; sequence < 20; sequence++) {
            assertTrue(writer.write(snapshot(sequence)));
            written.add(snapshot(sequence));
            assertTrue(totalSize(dir) <= cap, "after record " + sequence + ": " + totalSize(dir) + " > " + cap);
            assertEquals(totalSize(dir), writer.bytesOnDisk());
        }

        List<Snapshot> kept = readAll(dir);
        assertTrue(kept.size() >= 4, "kept " + kept.size());
        assertEquals(written.subList(written.size() - kept.size(), written.size()), kept, "the newest are kept");
        assertEquals(20 - kept.size(), writer.segmentsDeleted(), "one record per segment here");
        assertTrue(Files.exists(dir.resolve(SnapshotFormat.segmentFileName(19))), "the current segment stays");
    }

    @Test
    void earlierRunsCountAgainstTheCap() throws IOException {
        writeAll(writer(dir, 64 * MB, 1, captured.log), 0, 4);
        long cap = RECORD * 3L + RECORD / 2;

        SnapshotWriter writer = writer(dir, cap, 1, captured.log);
        writer.write(snapshot(100));

        assertTrue(totalSize(dir) <= cap);
        assertEquals(2, writer.segmentsDeleted());
        assertEquals(List.of(snapshot(2), snapshot(3), snapshot(100)), readAll(dir));
    }

    @Test
    void aRecordLargerThanTheCapIsSkippedWithOneLine() throws IOException {
        SnapshotWriter writer = writer(dir, RECORD / 2, RECORD / 4, captured.log);

        assertFalse(writer.write(snapshot(0)));
        assertFalse(writer.write(snapshot(1)));

        assertTrue(writer.isWriting(), "a record too large is not a failure");
        assertEquals(2, writer.recordsSkipped());
        assertEquals(0, writer.recordsWritten());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(
                captured.lines().get(0).contains("disk cap"), captured.lines().get(0));
        assertEquals(0, captured.log.suppressedErrors());
        assertEquals(0, totalSize(dir));
    }

    @Test
    void aTornMemberAtTheEndLeavesEarlierRecordsReadable() throws IOException {
        List<Snapshot> written = writeAll(writer(dir, 64 * MB, 16 * MB, captured.log), 0, 3);
        Path segment = dir.resolve(SnapshotFormat.segmentFileName(0));
        byte[] member = gzipMember(snapshot(3));
        Files.write(segment, Arrays.copyOf(member, member.length / 2), StandardOpenOption.APPEND); // a crash

        SegmentContent content = read(segment);

        assertTrue(content.torn());
        assertEquals(written, content.records());
    }

    @Test
    void aNewWriterNeverAppendsToAnEarlierRunsSegment() throws IOException {
        List<Snapshot> firstRun = writeAll(writer(dir, 64 * MB, 16 * MB, captured.log), 0, 2);
        Path tornSegment = dir.resolve(SnapshotFormat.segmentFileName(0));
        byte[] member = gzipMember(snapshot(2));
        Files.write(tornSegment, Arrays.copyOf(member, member.length / 2), StandardOpenOption.APPEND);
        long tornSize = Files.size(tornSegment);

        SnapshotWriter secondRun = writer(dir, 64 * MB, 16 * MB, captured.log);
        List<Snapshot> written = writeAll(secondRun, 0, 2);

        assertEquals(tornSize, Files.size(tornSegment));
        assertEquals(List.of(tornSegment, dir.resolve(SnapshotFormat.segmentFileName(1))), segments(dir));
        assertEquals(firstRun, read(tornSegment).records());
        SegmentContent second = read(dir.resolve(SnapshotFormat.segmentFileName(1)));
        assertEquals(written, second.records());
        assertFalse(second.torn());
    }

    @Test
    void anOutputThatIsNotADirectoryIsRefusedWithOneLineAndNothingWritten() throws IOException {
        Path regularFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        SnapshotWriter writer = writer(regularFile, 64 * MB, 16 * MB, captured.log);

        assertFalse(writer.mayWrite());
        assertFalse(writer.write(snapshot(0)));
        assertFalse(writer.write(snapshot(1)));

        assertTrue(writer.isRefused());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(
                captured.lines().get(0).contains("not a directory"),
                captured.lines().get(0));
        assertEquals("x", Files.readString(regularFile));
    }

    @Test
    void aWriteThatFailsHalfwayIsTruncatedAwayAndWritingPausesThenResumes() throws IOException {
        int[] opened = {0};
        SnapshotWriter writer = writer(
                dir,
                64 * MB,
                16 * MB,
                captured.log,
                channel -> ++opened[0] == 3 ? new DiskFullAfterHalf(channel) : channel);
        List<Snapshot> written = writeAll(writer, 0, 2);
        Path segment = dir.resolve(SnapshotFormat.segmentFileName(0));
        long sizeBefore = Files.size(segment);

        assertFalse(writer.write(snapshot(2)));
        assertTrue(writer.isPaused());
        assertFalse(writer.mayWrite(), "no retry before the back-off has passed");
        assertFalse(writer.write(snapshot(3)));

        assertEquals(sizeBefore, Files.size(segment), "no torn member left behind");
        SegmentContent content = read(segment);
        assertEquals(written, content.records());
        assertFalse(content.torn());
        assertEquals(2, writer.recordsWritten());
        assertEquals(2, writer.recordsNotSaved());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(
                captured.lines().get(0).contains("No space left on device"),
                captured.lines().get(0));
        assertTrue(captured.lines().get(0).contains("paused"), captured.lines().get(0));

        clock.addAndGet(WriteBackoff.FIRST_RETRY.toNanos());
        assertTrue(writer.mayWrite());
        assertTrue(writer.write(snapshot(4)));

        assertTrue(writer.isWriting());
        assertEquals(2, captured.lines().size(), captured.lines().toString());
        assertTrue(
                captured.lines().get(1).contains("resumed; 2 snapshots were not saved"),
                captured.lines().get(1));
        List<Snapshot> all = new ArrayList<>(written);
        all.add(snapshot(4));
        assertEquals(all, readAll(dir));
    }

    @Test
    void retriesComeLessOftenWhileTheFailureLasts() {
        int[] opened = {0};
        SnapshotWriter writer = writer(
                dir,
                64 * MB,
                16 * MB,
                captured.log,
                channel -> ++opened[0] >= 2 ? new DiskFullAfterHalf(channel) : channel);
        writeAll(writer, 0, 1);
        assertFalse(writer.write(snapshot(1)));

        long first = WriteBackoff.FIRST_RETRY.toNanos();
        clock.addAndGet(first);
        assertFalse(writer.write(snapshot(2)));
        clock.addAndGet(first);
        assertFalse(writer.mayWrite(), "the second wait is twice the first");
        clock.addAndGet(first);
        assertTrue(writer.mayWrite());
        assertEquals(1, captured.linesContaining("paused").size(), "one line per pause, not per failed retry");
    }

    @Test
    void aDeletedDirectoryIsCreatedAgainOwnerOnlyAndWritingGoesOn() throws IOException {
        Path output = dir.resolve("lw");
        SnapshotWriter writer = writer(output, 64 * MB, 16 * MB, captured.log);
        writeAll(writer, 0, 2);
        try (var files = Files.list(output)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(output);

        assertTrue(writer.write(snapshot(2)));

        assertEquals(List.of(snapshot(2)), readAll(output));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(output)));
        assertTrue(captured.lines().isEmpty(), captured.lines().toString());
    }

    @Test
    void segmentsAndTheDirectoryAreOwnerOnlyWhateverTheUmask() throws IOException {
        Path output = dir.resolve("lw");
        writeAll(writer(output, 64 * MB, 16 * MB, captured.log), 0, 1);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(output)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(output.resolve(SnapshotFormat.segmentFileName(0)))));
    }

    @Test
    void aLinkPlantedUnderASegmentNameIsNeitherFollowedNorCounted() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path output = Files.createDirectory(dir.resolve("lw"));
        Files.createSymbolicLink(output.resolve(SnapshotFormat.segmentFileName(0)), victim);
        SnapshotWriter writer = writer(output, 64 * MB, 16 * MB, captured.log);

        writeAll(writer, 0, 2);

        assertEquals("precious", Files.readString(victim));
        assertEquals(
                List.of(snapshot(0), snapshot(1)),
                read(output.resolve(SnapshotFormat.segmentFileName(1))).records());
    }

    @Test
    void anInterruptedWriteAtShutdownIsNotAnError() {
        SnapshotWriter writer = writer(dir, 64 * MB, 16 * MB, captured.log);
        writeAll(writer, 0, 1);

        Thread.currentThread().interrupt();
        try {
            assertFalse(writer.write(snapshot(1)));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        }

        assertTrue(captured.lines().isEmpty(), captured.lines().toString());
        assertEquals(0, captured.log.suppressedErrors());
        assertFalse(writer.isPaused());
    }

    @Test
    void defaultSegmentSizeIsASixteenthOfTheCapWithinBounds() {
        assertEquals(256 * 1024, SnapshotSettings.defaultSegmentBytes(1024));
        assertEquals(4 * MB, SnapshotSettings.defaultSegmentBytes(64 * MB));
        assertEquals(16 * MB, SnapshotSettings.defaultSegmentBytes(100_000 * MB));
    }

    private SnapshotWriter writer(Path output, long cap, long segmentBytes, AgentLog log) {
        return writer(output, cap, segmentBytes, log, channel -> channel);
    }

    private SnapshotWriter writer(
            Path output, long cap, long segmentBytes, AgentLog log, SnapshotWriter.ChannelDecorator channels) {
        return new SnapshotWriter(
                new OutputDirectory(output, PrivateDirectory.OWNER_ONLY, log),
                cap,
                segmentBytes,
                log,
                clock::get,
                channels);
    }

    private static List<Snapshot> writeAll(SnapshotWriter writer, long from, int count) {
        List<Snapshot> written = new ArrayList<>();
        for (long sequence = from; sequence < from + count; sequence++) {
            Snapshot snapshot = snapshot(sequence);
            assertTrue(writer.write(snapshot), "record " + sequence);
            written.add(snapshot);
        }
        return written;
    }

    /** Writes half of what it is given, then fails as a full disk does. */
    private static final class DiskFullAfterHalf extends FileChannel {
        private final FileChannel delegate;

        DiskFullAfterHalf(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            ByteBuffer half = source.duplicate();
            half.limit(source.position() + source.remaining() / 2);
            delegate.write(half);
            throw new IOException("No space left on device");
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return delegate.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return delegate.read(destinations, offset, length);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            return delegate.transferFrom(source, position, count);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return delegate.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}

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

import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.agent.snapshot.TestSnapshots.SegmentContent;
import dev.leakwatch.analyzer.format.SnapshotFormat;
import dev.leakwatch.analyzer.model.Snapshot;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
    private static final long MB = 1024 * 1024;
    // One synthetic record compressed; the tests size segments and caps in records.
    private static final int RECORD = gzipMember(snapshot(0)).length;

    @TempDir
    Path dir;

    private final CapturedLog captured = new CapturedLog();

    @Test
    void recordsComeBackAsWritten() throws IOException {
        Path output = dir.resolve("not/yet/there");
        SnapshotWriter writer = new SnapshotWriter(output, 64 * MB, 16 * MB, captured.log);
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
        SnapshotWriter writer = new SnapshotWriter(dir, 64 * MB, RECORD * 5L / 2, captured.log);
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
        SnapshotWriter writer = new SnapshotWriter(dir, cap, RECORD * 3L / 2, captured.log);
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
        writeAll(new SnapshotWriter(dir, 64 * MB, 1, captured.log), 0, 4);
        long cap = RECORD * 3L + RECORD / 2;

        SnapshotWriter writer = new SnapshotWriter(dir, cap, 1, captured.log);
        writer.write(snapshot(100));

        assertTrue(totalSize(dir) <= cap);
        assertEquals(2, writer.segmentsDeleted());
        assertEquals(List.of(snapshot(2), snapshot(3), snapshot(100)), readAll(dir));
    }

    @Test
    void aRecordLargerThanTheCapIsSkippedWithOneLine() throws IOException {
        SnapshotWriter writer = new SnapshotWriter(dir, RECORD / 2, RECORD / 4, captured.log);

        assertFalse(writer.write(snapshot(0)));
        assertFalse(writer.write(snapshot(1)));

        assertTrue(writer.isWriting(), "a record too large is not a failure");
        assertEquals(2, writer.recordsSkipped());
        assertEquals(0, writer.recordsWritten());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(captured.lines().get(0).contains("disk cap"), captured.lines().get(0));
        assertEquals(0, captured.log.suppressedErrors());
        assertEquals(0, totalSize(dir));
    }

    @Test
    void aTornMemberAtTheEndLeavesEarlierRecordsReadable() throws IOException {
        List<Snapshot> written = writeAll(new SnapshotWriter(dir, 64 * MB, 16 * MB, captured.log), 0, 3);
        Path segment = dir.resolve(SnapshotFormat.segmentFileName(0));
        byte[] member = gzipMember(snapshot(3));
        Files.write(segment, Arrays.copyOf(member, member.length / 2), StandardOpenOption.APPEND); // a crash

        SegmentContent content = read(segment);

        assertTrue(content.torn());
        assertEquals(written, content.records());
    }

    @Test
    void aNewWriterNeverAppendsToAnEarlierRunsSegment() throws IOException {
        List<Snapshot> firstRun = writeAll(new SnapshotWriter(dir, 64 * MB, 16 * MB, captured.log), 0, 2);
        Path tornSegment = dir.resolve(SnapshotFormat.segmentFileName(0));
        byte[] member = gzipMember(snapshot(2));
        Files.write(tornSegment, Arrays.copyOf(member, member.length / 2), StandardOpenOption.APPEND);
        long tornSize = Files.size(tornSegment);

        SnapshotWriter secondRun = new SnapshotWriter(dir, 64 * MB, 16 * MB, captured.log);
        List<Snapshot> written = writeAll(secondRun, 0, 2);

        assertEquals(tornSize, Files.size(tornSegment));
        assertEquals(List.of(tornSegment, dir.resolve(SnapshotFormat.segmentFileName(1))), segments(dir));
        assertEquals(firstRun, read(tornSegment).records());
        SegmentContent second = read(dir.resolve(SnapshotFormat.segmentFileName(1)));
        assertEquals(written, second.records());
        assertFalse(second.torn());
    }

    @Test
    void anUnusableDirectoryStopsWritingWithOneLineAndNoException() throws IOException {
        Path regularFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        SnapshotWriter writer = new SnapshotWriter(regularFile, 64 * MB, 16 * MB, captured.log);

        assertFalse(writer.write(snapshot(0)));
        assertFalse(writer.write(snapshot(1)));

        assertFalse(writer.isWriting());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(captured.lines().get(0).contains("stopped"), captured.lines().get(0));
        assertEquals(1, captured.log.suppressedErrors());
        assertEquals("x", Files.readString(regularFile));
    }

    @Test
    void aWriteThatFailsHalfwayIsTruncatedAwayAndWritingStops() throws IOException {
        int[] opened = {0};
        SnapshotWriter writer = new SnapshotWriter(dir, 64 * MB, 16 * MB, captured.log, (file, options) -> {
            FileChannel channel = FileChannel.open(file, options);
            return ++opened[0] < 3 ? channel : new DiskFullAfterHalf(channel);
        });
        List<Snapshot> written = writeAll(writer, 0, 2);
        Path segment = dir.resolve(SnapshotFormat.segmentFileName(0));
        long sizeBefore = Files.size(segment);

        assertFalse(writer.write(snapshot(2)));
        assertFalse(writer.write(snapshot(3)));

        assertEquals(sizeBefore, Files.size(segment), "no torn member left behind");
        SegmentContent content = read(segment);
        assertEquals(written, content.records());
        assertFalse(content.torn());
        assertFalse(writer.isWriting());
        assertEquals(2, writer.recordsWritten());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(captured.lines().get(0).contains("No space left on device"), captured.lines().get(0));
    }

    @Test
    void defaultSegmentSizeIsASixteenthOfTheCapWithinBounds() {
        assertEquals(256 * 1024, SnapshotSettings.defaultSegmentBytes(1024));
        assertEquals(4 * MB, SnapshotSettings.defaultSegmentBytes(64 * MB));
        assertEquals(16 * MB, SnapshotSettings.defaultSegmentBytes(100_000 * MB));
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

package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.analyzer.format.SnapshotCodec;
import dev.leakwatch.analyzer.format.SnapshotFormat;
import dev.leakwatch.analyzer.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Appends snapshots to segment files in the format {@link SnapshotFormat} describes: each record is one complete gzip
 * member, written with one {@code write} and forced to disk, so a crash can tear at most the last member of the
 * segment being written and every earlier record stays readable.
 *
 * <ul>
 *   <li>Never appends to a segment it did not start: the newest segment of an earlier run may end in a torn member,
 *       and a record appended after it would be unreadable for gzip readers that stop at the first bad member.
 *       Numbering continues after the highest index found in the directory.</li>
 *   <li>The segment files in the directory, earlier runs' included, hold at most {@code maxDiskBytes} together: the
 *       oldest are deleted first, never the one being written. A record larger than the whole cap is skipped.</li>
 *   <li>On any failure (disk full, directory removed) the segment is truncated back to where the record began, so a
 *       torn member can only ever sit at the end of a segment, one line is logged, and writing stops for good.
 *       Nothing is thrown to the caller.</li>
 * </ul>
 *
 * <p>The directory is created and scanned on the first {@link #write}, on the snapshot thread, not at construction:
 * the agent's start-up must stay cheap. A segment is opened for each record rather than held open, because a held
 * channel would go on writing happily into an unlinked file after the directory was removed.
 */
public final class SnapshotWriter {
    // Another process may have created the next segment between our scan and our first write to it.
    private static final int MAX_SEGMENT_NAME_ATTEMPTS = 16;

    private final Path outputDir;
    private final long maxDiskBytes;
    private final long segmentBytes;
    private final AgentLog log;
    private final ChannelOpener channels;

    // Guarded by this. older: the earlier segments, oldest first; current: the one records are appended to.
    private final ArrayDeque<Segment> older = new ArrayDeque<>();
    private long olderBytes;
    private Segment current;
    private boolean oversizeLogged;

    private volatile boolean writing = true;
    private volatile long bytesOnDisk;
    private volatile long recordsWritten;
    private volatile long recordsSkipped;
    private volatile long segmentsDeleted;

    public SnapshotWriter(SnapshotSettings settings, AgentLog log) {
        this(settings.outputDir(), settings.maxDiskBytes(), settings.segmentBytes(), log);
    }

    public SnapshotWriter(Path outputDir, long maxDiskBytes, long segmentBytes, AgentLog log) {
        this(outputDir, maxDiskBytes, segmentBytes, log, FileChannel::open);
    }

    SnapshotWriter(Path outputDir, long maxDiskBytes, long segmentBytes, AgentLog log, ChannelOpener channels) {
        if (maxDiskBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("disk cap and segment size must be positive, got "
                    + maxDiskBytes + " and " + segmentBytes + " bytes");
        }
        this.outputDir = outputDir;
        this.maxDiskBytes = maxDiskBytes;
        this.segmentBytes = segmentBytes;
        this.log = log;
        this.channels = channels;
    }

    /**
     * Appends one record. Never throws.
     *
     * @return true when the record is on disk; false when it was skipped or writing has stopped
     */
    public synchronized boolean write(Snapshot snapshot) {
        if (!writing) {
            return false;
        }
        try {
            byte[] member = gzip(SnapshotCodec.encode(snapshot));
            openOnFirstWrite();
            if (member.length > maxDiskBytes) {
                skipOversized(snapshot, member.length);
                return false;
            }
            if (current.size > 0
                    && (current.size + member.length > segmentBytes || current.size + member.length > maxDiskBytes)) {
                rotate();
            }
            while (olderBytes + current.size + member.length > maxDiskBytes && !older.isEmpty()) {
                deleteOldest();
            }
            append(member);
            recordsWritten++;
            return true;
        } catch (Throwable e) {
            writing = false;
            log.error("snapshot writing to " + outputDir + " stopped, no more snapshots will be saved", e);
            return false;
        }
    }

    /** False once a failure stopped writing for good. */
    public boolean isWriting() {
        return writing;
    }

    /** The size of the segment files in the directory as this writer accounts them, earlier runs' included. */
    public long bytesOnDisk() {
        return bytesOnDisk;
    }

    public long recordsWritten() {
        return recordsWritten;
    }

    /** Records not written because one alone is larger than the disk cap. */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    public long segmentsDeleted() {
        return segmentsDeleted;
    }

    public Path outputDir() {
        return outputDir;
    }

    private void openOnFirstWrite() throws IOException {
        if (current != null) {
            return;
        }
        Files.createDirectories(outputDir);
        List<Segment> existing = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(outputDir)) {
            for (Path file : files) {
                long index = SnapshotFormat.segmentIndex(file.getFileName().toString());
                if (index < 0 || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    existing.add(new Segment(index, file, Files.size(file)));
                } catch (NoSuchFileException deletedMeanwhile) {
                    // nothing to account for
                }
            }
        }
        existing.sort(Comparator.comparingLong((Segment segment) -> segment.index));
        for (Segment segment : existing) {
            older.addLast(segment);
            olderBytes += segment.size;
        }
        long next = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).index + 1;
        current = new Segment(next, null, 0);
        updateBytesOnDisk();
    }

    private void rotate() {
        older.addLast(current);
        olderBytes += current.size;
        current = new Segment(current.index + 1, null, 0);
    }

    private void deleteOldest() throws IOException {
        Segment oldest = older.peekFirst();
        Files.deleteIfExists(oldest.file);
        older.removeFirst();
        olderBytes -= oldest.size;
        segmentsDeleted++;
        updateBytesOnDisk();
    }

    private void append(byte[] member) throws IOException {
        try (FileChannel channel = current.file == null ? createSegment() : channels.open(current.file,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long before = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(member);
                while (buffer.hasRemaining()) { // one write for a regular file; the loop only guards a short write
                    channel.write(buffer);
                }
                channel.force(false);
            } catch (Throwable e) {
                truncate(channel, before, e);
                throw e;
            }
            current.size = channel.size();
        } finally {
            updateBytesOnDisk();
        }
    }

    /** Creates the current segment's file; never opens one that exists (see the class comment). */
    private FileChannel createSegment() throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path file = outputDir.resolve(SnapshotFormat.segmentFileName(current.index));
            try {
                FileChannel channel = channels.open(file,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                current.file = file;
                return channel;
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_SEGMENT_NAME_ATTEMPTS) {
                    throw e;
                }
                current.index++;
            }
        }
    }

    private static void truncate(FileChannel channel, long size, Throwable failure) {
        try {
            channel.truncate(size);
            channel.force(false);
        } catch (Throwable e) {
            // The torn member stays, but writing stops now, so it stays the segment's last member.
            failure.addSuppressed(e);
        }
    }

    private void skipOversized(Snapshot snapshot, int compressedBytes) {
        recordsSkipped++;
        if (!oversizeLogged) {
            oversizeLogged = true;
            log.info("snapshot " + snapshot.sequence() + " not saved: " + compressedBytes
                    + " compressed bytes do not fit the disk cap of " + maxDiskBytes
                    + " bytes (further snapshots too large are skipped without a message)");
        }
    }

    private void updateBytesOnDisk() {
        bytesOnDisk = olderBytes + (current == null ? 0 : current.size);
    }

    private static byte[] gzip(byte[] record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(record);
        }
        return out.toByteArray();
    }

    /** {@link FileChannel#open(Path, OpenOption...)}, replaceable so tests can make a write fail halfway. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path file, OpenOption... options) throws IOException;
    }

    private static final class Segment {
        long index;
        Path file; // null until the segment's file is created
        long size;

        Segment(long index, Path file, long size) {
            this.index = index;
            this.file = file;
            this.size = size;
        }
    }
}

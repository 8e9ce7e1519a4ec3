package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.Units;
import dev.leakwatch.format.UnsafeDirectoryException;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.segment.SegmentAppender;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Appends snapshots to segment files in the format {@link SnapshotFormat} describes, framed by
 * {@link SegmentAppender}: each record is one complete gzip member, written with one {@code write} and forced to
 * disk, so a crash can tear at most the last member of the segment being written and every earlier record stays
 * readable. This class decides where and whether: the segments, the disk cap, the pause after a failure.
 *
 * <ul>
 *   <li>Writes only into the {@link OutputDirectory}, which is checked to be ours alone; segments are created with
 *       {@code CREATE_NEW} and never opened through a link.</li>
 *   <li>Never appends to a segment it did not start: the newest segment of an earlier run may end in a torn member,
 *       and a record appended after it would be unreadable for gzip readers that stop at the first bad member.
 *       Numbering continues after the highest index found in the directory.</li>
 *   <li>The segment files in the directory, earlier runs' included, hold at most {@code maxDiskBytes} together: the
 *       oldest are deleted first, never the one being written. A record larger than the whole cap is skipped.</li>
 *   <li>On a failure (disk full, directory removed) the segment is truncated back to where the record began, so a
 *       torn member can only ever sit at the end of a segment, and writing <em>pauses</em>: one line says so, the
 *       scheduler takes no snapshot until {@link #mayWrite()} says a retry is due (see {@link WriteBackoff}), and the
 *       first record written again is announced with one line. After a failure the directory is scanned afresh and
 *       a new segment started. Nothing is thrown to the caller.</li>
 *   <li>A directory refused as unsafe stops writing for good ({@link #isRefused()}).</li>
 * </ul>
 *
 * <p>The directory is created and scanned on the first {@link #write}, on the snapshot thread, not at construction:
 * the agent's start-up must stay cheap. A segment is opened for each record rather than held open, because a held
 * channel would go on writing happily into an unlinked file after the directory was removed.
 */
public final class SnapshotWriter {
    // Another process may have created the next segment between our scan and our first write to it.
    private static final int MAX_SEGMENT_NAME_ATTEMPTS = 16;

    private final OutputDirectory directory;
    private final long maxDiskBytes;
    private final long segmentBytes;
    private final AgentLog log;
    private final ChannelDecorator channels;

    // Guarded by this. older: the earlier segments, oldest first; current: the one records are appended to.
    private final ArrayDeque<Segment> older = new ArrayDeque<>();
    private long olderBytes;
    private Segment current;
    private boolean oversizeLogged;
    private final WriteBackoff backoff;
    private long notSavedInPause;

    private volatile boolean refused;
    private volatile boolean paused;
    private volatile String pauseReason;
    private volatile long bytesOnDisk;
    private volatile long recordsWritten;
    private volatile long recordsSkipped;
    private volatile long recordsNotSaved;
    private volatile long segmentsDeleted;

    public SnapshotWriter(SnapshotSettings settings, OutputDirectory directory, AgentLog log) {
        this(directory, settings.maxDiskBytes(), settings.segmentBytes(), log, System::nanoTime, channel -> channel);
    }

    SnapshotWriter(
            OutputDirectory directory,
            long maxDiskBytes,
            long segmentBytes,
            AgentLog log,
            LongSupplier nanoClock,
            ChannelDecorator channels) {
        if (maxDiskBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("disk cap and segment size must be positive, got " + maxDiskBytes
                    + " and " + segmentBytes + " bytes");
        }
        this.directory = directory;
        this.maxDiskBytes = maxDiskBytes;
        this.segmentBytes = segmentBytes;
        this.log = log;
        this.backoff = new WriteBackoff(nanoClock);
        this.channels = channels;
    }

    /**
     * Whether a snapshot taken now could be written: false while writing is paused and no retry is due yet, and
     * once the directory was refused. The scheduler asks before it takes a snapshot, so a full disk does not cost the
     * application a forced GC every interval.
     */
    public synchronized boolean mayWrite() {
        if (refused || !backoff.mayTry()) {
            return false;
        }
        if (current == null) {
            // Open (and check) the directory before a snapshot is taken: a refused one costs no forced GC.
            try {
                openDirectory();
            } catch (UnsafeDirectoryException e) {
                refused = true;
                return false;
            } catch (Throwable e) {
                failed(e);
                return false;
            }
        }
        return true;
    }

    /**
     * Appends one record. Never throws.
     *
     * @return true when the record is on disk; false when it was skipped or could not be written
     */
    public synchronized boolean write(Snapshot snapshot) {
        if (refused) {
            return false;
        }
        if (!backoff.mayTry()) {
            notSaved();
            return false;
        }
        try {
            byte[] member = SegmentAppender.member(snapshot);
            PrivateDirectory dir = openDirectory();
            if (member.length > maxDiskBytes) {
                skipOversized(snapshot, member.length);
                return false;
            }
            if (current.size > 0
                    && (current.size + member.length > segmentBytes || current.size + member.length > maxDiskBytes)) {
                rotate();
            }
            while (olderBytes + current.size + member.length > maxDiskBytes && !older.isEmpty()) {
                deleteOldest(dir);
            }
            append(dir, member);
            recordsWritten++;
            resumed();
            return true;
        } catch (UnsafeDirectoryException e) {
            refused = true; // OutputDirectory said so in one line
            return false;
        } catch (ClosedByInterruptException e) {
            // The JVM is shutting down (or the recording stopping) and interrupted this write: not a failure. The
            // member may be torn, and stays the last of its segment, which readers expect of a stopped recording.
            Thread.currentThread().interrupt();
            current = null;
            notSaved();
            return false;
        } catch (Throwable e) {
            notSaved();
            failed(e);
            return false;
        }
    }

    /** False while writing is paused after a failure, or refused. */
    public boolean isWriting() {
        return !refused && !paused;
    }

    /** True once the output directory was refused as unsafe: nothing will be written. */
    public boolean isRefused() {
        return refused;
    }

    /** True while writing is paused after a failure; {@link #pauseReason()} says why. */
    public boolean isPaused() {
        return paused;
    }

    public String pauseReason() {
        return pauseReason;
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

    /** Snapshots that could not be saved: a failed write, or one asked for while writing was paused. */
    public long recordsNotSaved() {
        return recordsNotSaved;
    }

    public long segmentsDeleted() {
        return segmentsDeleted;
    }

    public Path outputDir() {
        return directory.path();
    }

    private void failed(Throwable e) {
        current = null; // scan the directory afresh at the next try: it may have been emptied or replaced
        boolean first = !backoff.isPaused();
        backoff.failed();
        pauseReason = AgentLog.describe(e);
        paused = true;
        if (first) {
            log.error(
                    "snapshot writing to " + directory.path() + " paused, the application is unaffected; retrying"
                            + " from " + Units.formatDuration(backoff.currentDelay()) + " on, then less often",
                    e);
        }
    }

    private void resumed() {
        if (!paused) {
            return;
        }
        backoff.succeeded();
        paused = false;
        pauseReason = null;
        log.info("snapshot writing to " + directory.path() + " resumed; " + notSavedInPause
                + (notSavedInPause == 1 ? " snapshot was" : " snapshots were") + " not saved while it was paused");
        notSavedInPause = 0;
    }

    private void notSaved() {
        recordsNotSaved++;
        notSavedInPause++;
    }

    private PrivateDirectory openDirectory() throws IOException {
        PrivateDirectory dir = directory.current();
        if (current != null && current.directory == dir) {
            return dir;
        }
        older.clear();
        olderBytes = 0;
        List<Segment> existing = new ArrayList<>();
        for (String name : dir.list()) {
            long index = SnapshotFormat.segmentIndex(name);
            if (index < 0) {
                continue;
            }
            BasicFileAttributes attributes = dir.attributes(name);
            if (attributes != null && attributes.isRegularFile()) {
                existing.add(new Segment(dir, index, name, attributes.size()));
            }
        }
        existing.sort(Comparator.comparingLong((Segment segment) -> segment.index));
        for (Segment segment : existing) {
            older.addLast(segment);
            olderBytes += segment.size;
        }
        long next = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).index + 1;
        current = new Segment(dir, next, null, 0);
        updateBytesOnDisk();
        return dir;
    }

    private void rotate() {
        older.addLast(current);
        olderBytes += current.size;
        current = new Segment(current.directory, current.index + 1, null, 0);
    }

    private void deleteOldest(PrivateDirectory dir) throws IOException {
        Segment oldest = older.peekFirst();
        dir.deleteIfExists(oldest.name);
        older.removeFirst();
        olderBytes -= oldest.size;
        segmentsDeleted++;
        updateBytesOnDisk();
    }

    private void append(PrivateDirectory dir, byte[] member) throws IOException {
        try (FileChannel channel =
                channels.decorate(current.name == null ? createSegment(dir) : dir.openAppend(current.name))) {
            current.size = SegmentAppender.append(channel, member);
        } finally {
            updateBytesOnDisk();
        }
    }

    /** Creates the current segment's file; never opens one that exists (see the class comment). */
    private FileChannel createSegment(PrivateDirectory dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            String name = SnapshotFormat.segmentFileName(current.index);
            try {
                FileChannel channel = dir.createNew(name);
                current.name = name;
                return channel;
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_SEGMENT_NAME_ATTEMPTS) {
                    throw e;
                }
                current.index++;
            }
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

    /** Wraps each segment channel; tests make a write fail halfway with it. */
    @FunctionalInterface
    interface ChannelDecorator {
        FileChannel decorate(FileChannel channel) throws IOException;
    }

    private static final class Segment {
        final PrivateDirectory directory;
        long index;
        String name; // null until the segment's file is created
        long size;

        Segment(PrivateDirectory directory, long index, String name, long size) {
            this.directory = directory;
            this.index = index;
            this.name = name;
            this.size = size;
        }
    }
}

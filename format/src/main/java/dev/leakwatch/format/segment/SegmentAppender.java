package dev.leakwatch.format.segment;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.GZIPOutputStream;

/**
 * The writing half of a segment's framing ({@link SnapshotDirectoryReader} is the reading half): each record is one
 * complete gzip member, appended with one {@code write} and forced to disk, and a failed append is truncated back to
 * where the record began. A crash can so tear at most the last member of a segment, and every earlier record stays a
 * complete gzip stream ({@link SnapshotFormat}).
 */
public final class SegmentAppender {
    private SegmentAppender() {}

    /** The record as the member to append: the snapshot encoded ({@link SnapshotCodec}) and gzipped on its own. */
    public static byte[] member(Snapshot snapshot) throws IOException {
        byte[] record = SnapshotCodec.encode(snapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(record);
        }
        return out.toByteArray();
    }

    /**
     * Appends one member at the channel's end and forces it to disk; on a failure truncates the segment back to its
     * size before the call (best effort: a torn member that stays is still the segment's last, for the writer starts a
     * new segment after a failure) and rethrows.
     *
     * @return the segment's size afterwards
     */
    public static long append(FileChannel channel, byte[] member) throws IOException {
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
        return channel.size();
    }

    private static void truncate(FileChannel channel, long size, Throwable failure) {
        try {
            channel.truncate(size);
            channel.force(false);
        } catch (Throwable e) {
            failure.addSuppressed(e);
        }
    }
}

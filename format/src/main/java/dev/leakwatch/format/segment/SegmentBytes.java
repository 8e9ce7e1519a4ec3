package dev.leakwatch.format.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the bytes of one segment through a window of {@link #WINDOW_BYTES}: reading damaged gzip data means
 * going back to just after where a member started and looking for the next one, and a segment may be larger than
 * the heap (a 2 GB file of garbage must not need 2 GB).
 */
abstract class SegmentBytes implements AutoCloseable {
    static final int WINDOW_BYTES = 64 * 1024;

    private byte[] window;
    private long windowStart;
    private int windowLength;

    static SegmentBytes of(Path file) throws IOException {
        return new ForFile(FileChannel.open(file, StandardOpenOption.READ));
    }

    static SegmentBytes of(byte[] bytes) {
        return new ForArray(bytes);
    }

    abstract long size();

    /** Reads up to {@code length} bytes at {@code position}; fewer only at the end, none past it. */
    protected abstract int fill(long position, byte[] into, int offset, int length) throws IOException;

    @Override
    public void close() throws IOException {}

    /** The byte at {@code position} (0 to 255), or -1 at or past the end. */
    int byteAt(long position) throws IOException {
        long index = position - windowStart;
        if (index < 0 || index >= windowLength) {
            if (position >= size()) {
                return -1;
            }
            moveWindow(position);
            if (windowLength == 0) {
                return -1;
            }
            index = 0;
        }
        return window[(int) index] & 0xff;
    }

    /** Copies up to {@code length} bytes from {@code position}; returns how many, 0 at the end. */
    int read(long position, byte[] into, int offset, int length) throws IOException {
        long index = position - windowStart;
        if (index < 0 || index >= windowLength) {
            if (position >= size()) {
                return 0;
            }
            moveWindow(position);
            index = 0;
        }
        int copied = Math.min(length, windowLength - (int) index);
        System.arraycopy(window, (int) index, into, offset, copied);
        return copied;
    }

    private void moveWindow(long position) throws IOException {
        if (window == null) {
            window = new byte[WINDOW_BYTES];
        }
        windowStart = position;
        windowLength = fill(position, window, 0, WINDOW_BYTES);
    }

    /** Where the position of the next byte equal to {@code value} is at or after {@code from}, or -1. */
    final long indexOf(int value, long from) throws IOException {
        for (long position = from; ; position++) {
            int b = byteAt(position);
            if (b < 0) {
                return -1;
            }
            if (b == value) {
                return position;
            }
        }
    }

    private static final class ForFile extends SegmentBytes {
        private final FileChannel channel;
        private final long size;

        ForFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        long size() {
            return size;
        }

        @Override
        protected int fill(long position, byte[] into, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(into, offset, (int) Math.min(length, size - position));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position() - offset) < 0) {
                    break; // the file shrank while it was read: what is left is its end
                }
            }
            return buffer.position() - offset;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class ForArray extends SegmentBytes {
        private final byte[] bytes;

        ForArray(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        long size() {
            return bytes.length;
        }

        @Override
        protected int fill(long position, byte[] into, int offset, int length) {
            int copied = (int) Math.max(0, Math.min(length, bytes.length - position));
            System.arraycopy(bytes, (int) position, into, offset, copied);
            return copied;
        }

        @Override
        int byteAt(long position) {
            return position < bytes.length ? bytes[(int) position] & 0xff : -1;
        }

        @Override
        int read(long position, byte[] into, int offset, int length) {
            return fill(position, into, offset, length);
        }
    }
}

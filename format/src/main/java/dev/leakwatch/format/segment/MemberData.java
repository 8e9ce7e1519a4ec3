package dev.leakwatch.format.segment;

import java.util.Arrays;

/**
 * A gzip member's data ({@link GzipMembers}) held until its trailer is checked, up to the longest line; past that
 * only the length of the current line is followed, to stop at a line too long. Data within the limit is not searched
 * for line breaks: that doubled the work of reading a segment.
 */
final class MemberData {
    private final int limit;
    private byte[] data = new byte[4096];
    private int length;
    private boolean overflowed;
    private long lineLength;

    MemberData(int limit) {
        this.limit = limit;
    }

    void reset() {
        length = 0;
        overflowed = false;
        lineLength = 0;
    }

    boolean accept(byte[] chunk, int count) {
        if (!overflowed && (long) length + count <= limit) {
            // Held data is no longer than the limit, so no line in it can be longer.
            if (length + count > data.length) {
                data = Arrays.copyOf(data, Math.max(length + count, (int) Math.min(2L * data.length, limit)));
            }
            System.arraycopy(chunk, 0, data, length, count);
            length += count;
            return true;
        }
        if (!overflowed) {
            overflowed = true;
            int lastNewline = length - 1;
            while (lastNewline >= 0 && data[lastNewline] != '\n') {
                lastNewline--;
            }
            lineLength = length - lastNewline - 1;
            length = 0;
        }
        return followLine(chunk, count);
    }

    /** Follows the length of the current line through a chunk; false when a line grows past the limit. */
    private boolean followLine(byte[] chunk, int count) {
        if (lineLength + count <= limit) {
            // No line can pass the limit in this chunk: only where the last one starts matters.
            int i = count - 1;
            while (i >= 0 && chunk[i] != '\n') {
                i--;
            }
            lineLength = i < 0 ? lineLength + count : count - i - 1;
            return true;
        }
        long line = lineLength;
        for (int i = 0; i < count; i++) {
            if (chunk[i] != '\n') {
                line++;
            } else if (line > limit) {
                return false;
            } else {
                line = 0;
            }
        }
        lineLength = line;
        return line <= limit;
    }

    boolean overflowed() {
        return overflowed;
    }

    byte[] bytes() {
        return data;
    }

    int length() {
        return length;
    }
}

package dev.leakwatch.format.segment;

import java.util.Arrays;

/**
 * Cuts a segment's bytes into records, one per line, none longer than {@link #MAX_LINE_BYTES}: a file of garbage
 * without a newline must cost a counted skip, not the heap (a 2 GB segment without one ran the analyzer out of memory
 * after 17 seconds, issue 11).
 */
final class LineSplitter {
    /**
     * The longest record read. A live histogram of 100,000 classes, more than large applications load, encodes to
     * about 6 MB; ten times that still leaves room in a 512 MB heap for the tree it parses into.
     */
    static final int MAX_LINE_BYTES = 64 << 20;

    /** Where complete lines go. */
    interface Lines {
        /** A line without its newline; the bytes are only valid during the call. */
        void line(byte[] bytes, int offset, int length) throws InputException;

        /** A line longer than the limit, skipped up to its newline (or the end of the segment). */
        void overLong();
    }

    private final Lines lines;
    private final int maxLineBytes;
    private byte[] partial = new byte[256];
    private int partialLength;
    private boolean skipping;

    LineSplitter(Lines lines) {
        this(lines, MAX_LINE_BYTES);
    }

    LineSplitter(Lines lines, int maxLineBytes) {
        this.lines = lines;
        this.maxLineBytes = maxLineBytes;
    }

    void feed(byte[] bytes, int offset, int length) throws InputException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (skipping) {
                skipping = false;
            } else if (partialLength == 0) {
                if (i - start > maxLineBytes) {
                    lines.overLong();
                } else {
                    lines.line(bytes, start, i - start);
                }
            } else if (append(bytes, start, i - start)) {
                lines.line(partial, 0, partialLength);
                partialLength = 0;
            } else {
                skipping = false; // the over-long line ends at this newline
            }
            start = i + 1;
        }
        if (!skipping && start < end) {
            append(bytes, start, end - start);
        }
    }

    /** Whether an unfinished line is pending (the end of a segment whose last line has no newline). */
    boolean hasPartialLine() {
        return partialLength > 0;
    }

    /** The unfinished line, as a copy; it stays pending until {@link #discardPartialLine}. */
    byte[] partialLine() {
        return Arrays.copyOf(partial, partialLength);
    }

    /** Forgets the unfinished line: what follows does not continue it (the data between was lost). */
    void discardPartialLine() {
        partialLength = 0;
        skipping = false;
    }

    private boolean append(byte[] bytes, int offset, int length) {
        if ((long) partialLength + length > maxLineBytes) {
            partialLength = 0;
            skipping = true;
            lines.overLong();
            return false;
        }
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(
                    partial, Math.max(partialLength + length, Math.min(2 * partial.length, maxLineBytes)));
        }
        System.arraycopy(bytes, offset, partial, partialLength, length);
        partialLength += length;
        return true;
    }
}

package dev.leakwatch.format.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the gzip members of one compressed segment (RFC 1952) one at a time, each with its own {@link Inflater}
 * pass, and hands on the data of those whose CRC32 and length trailer check out.
 *
 * <p>The agent writes each record as its own member, so damage stays inside the members it hits: after a member
 * that cannot be read, reading resumes at the next place that holds a readable member (a header {@code 1f 8b 08}
 * with no reserved flag set, whose data inflates and whose trailer matches). A single {@code GZIPInputStream} over
 * the whole segment cannot do this: after one flipped byte in record 1 of 12 it read 2 records and counted 1 as
 * skipped (issue 11). What lies between two readable members is counted as lost records: one for the damaged
 * member (unless it is only a few stray bytes, too short to be a member and not shaped like a header) plus one for
 * every further header found there that does not read. Only a member that runs unfinished to the end of the file
 * is a torn last record; a damaged one before the end, or one that fails its trailer, is damage.
 *
 * <p>Each member's data is held until its trailer is checked, up to {@link LineSplitter#MAX_LINE_BYTES}; a larger
 * member (a hand-compressed segment of many records in one member) is checked in a first pass and inflated again to
 * be read. A member whose data has a line longer than that limit is skipped as over-long without inflating it to
 * the end.
 */
final class GzipMembers {
    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int DEFLATE = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xe0;
    private static final int HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;
    private static final int CRC_BYTES = 4;
    /** The smallest member: a header, an empty deflate stream (2 bytes) and a trailer. */
    static final int MIN_MEMBER_BYTES = HEADER_BYTES + 2 + TRAILER_BYTES;

    private static final int OUTPUT_CHUNK_BYTES = 16 * 1024;

    /** What reading a segment finds, in file order. Record numbers count members from 1, lost ones included. */
    interface Visitor {
        /** Data of the member being read, checked against its trailer; a member may hand it on in several calls. */
        void data(byte[] bytes, int offset, int length) throws InputException;

        void damaged(long record, String reason);

        void overLong(long record);

        /** The last member runs to the end of the file unfinished: a write that stopped midway. */
        void truncated(long record);

        /** Bytes between members too few to have been a member and not shaped like a header. */
        void strayBytes(long count);

        /** Not one member in the whole file, which does not start like one either. */
        void notGzip();
    }

    private enum Outcome {
        READ,
        DAMAGED,
        OVER_LONG,
        END_OF_FILE
    }

    private record Attempt(Outcome outcome, long end, String reason) {
        static Attempt failed(Outcome outcome, String reason) {
            return new Attempt(outcome, -1, reason);
        }
    }

    private static final Attempt HEADER_CUT = Attempt.failed(Outcome.END_OF_FILE, "header cut short");

    private final SegmentBytes bytes;
    private final Visitor visitor;
    private final int maxLineBytes;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] input;
    private final byte[] output = new byte[OUTPUT_CHUNK_BYTES];
    private final MemberData held;
    /** Members seen so far, lost ones included: the number of the record being read. */
    private long record;

    private boolean anyRead;

    private GzipMembers(SegmentBytes bytes, Visitor visitor, int maxLineBytes) {
        this.bytes = bytes;
        this.visitor = visitor;
        this.maxLineBytes = maxLineBytes;
        this.held = new MemberData(maxLineBytes);
        this.input = new byte[(int) Math.min(SegmentBytes.WINDOW_BYTES, Math.max(1, bytes.size()))];
    }

    static void read(SegmentBytes bytes, Visitor visitor) throws IOException, InputException {
        GzipMembers members = new GzipMembers(bytes, visitor, LineSplitter.MAX_LINE_BYTES);
        try {
            members.readAll();
        } finally {
            members.inflater.end();
        }
    }

    private void readAll() throws IOException, InputException {
        long position = 0;
        while (position < bytes.size()) {
            Attempt attempt = attempt(position);
            if (attempt.outcome() != Outcome.READ) {
                Member next = skipDamage(position, attempt);
                if (next == null) {
                    return;
                }
                position = next.start();
                attempt = next.read();
            }
            record++;
            deliver(position);
            anyRead = true;
            position = attempt.end();
        }
    }

    private record Member(long start, Attempt read) {}

    /**
     * After the member at {@code position} failed: finds the next readable member and reports what lies between as
     * lost records (see the class comment). Returns that member, its data held, or null when none follows.
     */
    private Member skipDamage(long position, Attempt failed) throws IOException, InputException {
        List<Attempt> failures = new ArrayList<>();
        failures.add(failed);
        Member next = null;
        for (long candidate = nextHeader(position + 1); candidate >= 0; candidate = nextHeader(candidate + 1)) {
            Attempt tried = attempt(candidate);
            if (tried.outcome() == Outcome.READ) {
                next = new Member(candidate, tried);
                break;
            }
            failures.add(tried);
        }
        if (position == 0 && next == null && !anyRead && !shapedLikeHeader(0)) {
            visitor.notGzip();
            return null;
        }
        long regionEnd = next != null ? next.start() : bytes.size();
        if (!shapedLikeHeader(position) && regionEnd - position < MIN_MEMBER_BYTES) {
            failures.remove(0);
            visitor.strayBytes(regionEnd - position);
        }
        for (int i = 0; i < failures.size(); i++) {
            Attempt failure = failures.get(i);
            record++;
            if (failure.outcome() == Outcome.OVER_LONG) {
                visitor.overLong(record);
            } else if (failure.outcome() == Outcome.END_OF_FILE && next == null && i == failures.size() - 1) {
                visitor.truncated(record);
            } else {
                visitor.damaged(record, failure.reason());
            }
        }
        return next;
    }

    /** Hands on the data of a member just read: held in memory, or inflated again when it was too large to hold. */
    private void deliver(long position) throws IOException, InputException {
        if (!held.overflowed()) {
            visitor.data(held.bytes(), 0, held.length());
            return;
        }
        inflate(header(position).end(), (chunk, length) -> {
            visitor.data(chunk, 0, length);
            return true;
        });
    }

    /** Reads the member at {@code position} as far as its trailer, holding its data in {@link #held}. */
    private Attempt attempt(long position) throws IOException, InputException {
        Attempt header = header(position);
        if (header.outcome() != Outcome.READ) {
            return header;
        }
        held.reset();
        Attempt inflated = inflate(header.end(), held::accept);
        if (inflated.outcome() != Outcome.READ) {
            return inflated;
        }
        return trailer(inflated.end());
    }

    /** Reads the member header at {@code position}; on success {@code end} is where its compressed data starts. */
    private Attempt header(long position) throws IOException {
        for (int i = 0; i < HEADER_BYTES; i++) {
            if (bytes.byteAt(position + i) < 0) {
                return HEADER_CUT;
            }
        }
        if (bytes.byteAt(position) != ID1
                || bytes.byteAt(position + 1) != ID2
                || bytes.byteAt(position + 2) != DEFLATE) {
            return Attempt.failed(Outcome.DAMAGED, "no gzip member header");
        }
        int flags = bytes.byteAt(position + 3);
        if ((flags & RESERVED_FLAGS) != 0) {
            return Attempt.failed(Outcome.DAMAGED, "reserved gzip header flags set");
        }
        long end = position + HEADER_BYTES;
        if ((flags & FEXTRA) != 0) {
            int low = bytes.byteAt(end);
            int high = bytes.byteAt(end + 1);
            if (high < 0) {
                return HEADER_CUT;
            }
            end += 2 + (low | high << 8);
        }
        if ((flags & FNAME) != 0) {
            end = afterZero(end);
        }
        if ((flags & FCOMMENT) != 0 && end >= 0) {
            end = afterZero(end);
        }
        if ((flags & FHCRC) != 0 && end >= 0) {
            end += 2;
        }
        if (end < 0 || end > bytes.size()) {
            return HEADER_CUT;
        }
        return new Attempt(Outcome.READ, end, null);
    }

    /** The position after the next zero byte (ending a name or comment), or -1 when there is none. */
    private long afterZero(long from) throws IOException {
        long zero = bytes.indexOf(0, from);
        return zero < 0 ? -1 : zero + 1;
    }

    /** Where the data goes while it is inflated; false stops inflating (a line too long). */
    @FunctionalInterface
    private interface Sink {
        boolean accept(byte[] chunk, int length) throws InputException;
    }

    /** Inflates the deflate data from {@code dataStart}; on success {@code end} is where its trailer starts. */
    private Attempt inflate(long dataStart, Sink sink) throws IOException, InputException {
        inflater.reset();
        crc.reset();
        long inputPosition = dataStart;
        while (true) {
            if (inflater.needsInput()) {
                int read = bytes.read(inputPosition, input, 0, input.length);
                if (read == 0) {
                    return Attempt.failed(Outcome.END_OF_FILE, "compressed data cut short");
                }
                inputPosition += read;
                inflater.setInput(input, 0, read);
            }
            int produced;
            try {
                produced = inflater.inflate(output);
            } catch (DataFormatException e) {
                return Attempt.failed(
                        Outcome.DAMAGED,
                        "compressed data damaged (" + (e.getMessage() == null ? "invalid deflate data" : e.getMessage())
                                + ")");
            }
            if (produced > 0) {
                crc.update(output, 0, produced);
                if (!sink.accept(output, produced)) {
                    return Attempt.failed(Outcome.OVER_LONG, "a line longer than " + maxLineBytes + " bytes");
                }
            }
            if (inflater.finished()) {
                return new Attempt(Outcome.READ, inputPosition - inflater.getRemaining(), null);
            }
            if (produced == 0 && !inflater.needsInput()) {
                // Raw deflate never asks for a dictionary; anything else that stalls it is damage.
                return Attempt.failed(Outcome.DAMAGED, "compressed data damaged (inflating stalled)");
            }
        }
    }

    /**
     * Checks the trailer at {@code position}. A trailer cut off after its CRC32 still vouches for the data: a crash
     * during the write took only the length, which the data already tells.
     */
    private Attempt trailer(long position) throws IOException {
        long available = Math.min(TRAILER_BYTES, bytes.size() - position);
        if (available < CRC_BYTES) {
            return Attempt.failed(Outcome.END_OF_FILE, "trailer cut short");
        }
        if (littleEndianInt(position) != crc.getValue()) {
            return Attempt.failed(Outcome.DAMAGED, "CRC32 does not match the data");
        }
        if (available < TRAILER_BYTES) {
            return new Attempt(Outcome.READ, bytes.size(), null);
        }
        if (littleEndianInt(position + CRC_BYTES) != (inflater.getBytesWritten() & 0xffffffffL)) {
            return Attempt.failed(Outcome.DAMAGED, "length in the trailer does not match the data");
        }
        return new Attempt(Outcome.READ, position + TRAILER_BYTES, null);
    }

    private long littleEndianInt(long position) throws IOException {
        long value = 0;
        for (int i = 3; i >= 0; i--) {
            value = value << 8 | bytes.byteAt(position + i);
        }
        return value;
    }

    /** The next position at or after {@code from} that starts like a member header, or -1. */
    private long nextHeader(long from) throws IOException {
        for (long at = bytes.indexOf(ID1, from); at >= 0; at = bytes.indexOf(ID1, at + 1)) {
            int flags = bytes.byteAt(at + 3);
            if (bytes.byteAt(at + 1) == ID2
                    && bytes.byteAt(at + 2) == DEFLATE
                    && flags >= 0
                    && (flags & RESERVED_FLAGS) == 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * Whether the bytes at {@code position} look like a member header that was damaged or cut: two of its three
     * identifying bytes, or all of those left before the end of the file.
     */
    private boolean shapedLikeHeader(long position) throws IOException {
        int[] expected = {ID1, ID2, DEFLATE};
        int matching = 0;
        int present = 0;
        for (int i = 0; i < expected.length; i++) {
            int b = bytes.byteAt(position + i);
            if (b < 0) {
                break;
            }
            present++;
            if (b == expected[i]) {
                matching++;
            }
        }
        return present == expected.length ? matching >= 2 : present > 0 && matching == present;
    }
}

package dev.leakwatch.format.segment;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.SnapshotFormatException;
import dev.leakwatch.format.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The records of one segment: splits its data into lines, decodes them, hands each snapshot to the
 * {@link SeriesAssembler}, and counts what is lost, where and why, into one warning per kind of loss (the list in
 * {@link SnapshotDirectoryReader}'s Javadoc). A compressed segment's members come from {@link GzipMembers}, which
 * reports damage here as it resyncs.
 */
final class SegmentReader implements GzipMembers.Visitor, LineSplitter.Lines {
    private static final String TRUNCATED =
            ": last record truncated (the JVM probably stopped while writing it); skipped";
    private static final String NOT_GZIP = ": not gzip data (Not in GZIP format); segment skipped";
    private static final int RECORDS_NAMED = 5;

    private final String segment;
    private final SeriesAssembler series;
    private final LineSplitter splitter = new LineSplitter(this);
    private long lineNumber;
    private boolean notGzip;
    private boolean truncated;
    private long damaged;
    private final List<Long> damagedRecords = new ArrayList<>();
    private String firstDamage;
    private long unreadable;
    private String firstUnreadable;
    private long overLong;
    private String firstOverLong;
    private long duplicates;
    private long firstDuplicate;
    private long strayBytes;

    private SegmentReader(String segment, SeriesAssembler series) {
        this.segment = segment;
        this.series = series;
    }

    /** Reads the segment named {@code name} ({@code .gz} for a compressed one) into {@code series}. */
    static void read(String name, SegmentBytes bytes, SeriesAssembler series) throws IOException, InputException {
        if (bytes.size() == 0) {
            return; // the agent created the segment and stopped before its first record: nothing lost
        }
        SegmentReader reader = new SegmentReader(name, series);
        if (SnapshotFormat.isCompressed(name)) {
            GzipMembers.read(bytes, reader);
        } else {
            reader.readPlain(bytes);
        }
        reader.finish();
    }

    private void readPlain(SegmentBytes bytes) throws IOException, InputException {
        byte[] chunk = new byte[(int) Math.min(SegmentBytes.WINDOW_BYTES, bytes.size())];
        long position = 0;
        for (int read = bytes.read(position, chunk, 0, chunk.length);
                read > 0;
                read = bytes.read(position, chunk, 0, chunk.length)) {
            splitter.feed(chunk, 0, read);
            position += read;
        }
    }

    @Override
    public void data(byte[] bytes, int offset, int length) throws InputException {
        splitter.feed(bytes, offset, length);
    }

    @Override
    public void line(byte[] bytes, int offset, int length) throws InputException {
        lineNumber++;
        if (isBlank(bytes, offset, length)) {
            return;
        }
        try {
            accept(SnapshotCodec.decode(bytes, offset, length));
        } catch (SnapshotFormatException e) {
            failIfNewerVersion(new String(bytes, offset, length, StandardCharsets.UTF_8), e);
            unreadable++;
            if (firstUnreadable == null) {
                firstUnreadable = "line " + lineNumber + ": " + Inputs.oneLine(e.getMessage());
                series.noteProblem(segment + " " + firstUnreadable);
            }
        }
    }

    @Override
    public void overLong() {
        lineNumber++;
        overLong("line " + lineNumber);
    }

    @Override
    public void overLong(long record) {
        splitter.discardPartialLine();
        overLong("record " + record);
    }

    private void overLong(String where) {
        overLong++;
        if (firstOverLong == null) {
            firstOverLong = where;
            series.noteProblem(segment + " " + where + ": longer than " + megabytes(LineSplitter.MAX_LINE_BYTES));
        }
    }

    @Override
    public void damaged(long record, String reason) {
        splitter.discardPartialLine();
        damaged++;
        if (damagedRecords.size() < RECORDS_NAMED) {
            damagedRecords.add(record);
        }
        if (firstDamage == null) {
            firstDamage = reason;
            series.noteProblem(segment + " record " + record + ": " + reason);
        }
    }

    @Override
    public void truncated(long record) {
        splitter.discardPartialLine();
        truncated = true;
        series.noteProblem(segment + TRUNCATED);
    }

    @Override
    public void strayBytes(long count) {
        splitter.discardPartialLine();
        strayBytes += count;
    }

    @Override
    public void notGzip() {
        notGzip = true;
        series.noteProblem(segment + NOT_GZIP);
    }

    private void accept(Snapshot snapshot) {
        if (!series.accept(snapshot)) {
            if (duplicates++ == 0) {
                firstDuplicate = snapshot.sequence();
            }
        }
    }

    private void finish() throws InputException {
        if (splitter.hasPartialLine()) {
            finalLineWithoutNewline();
        }
        if (notGzip) {
            series.skip(1, segment + NOT_GZIP);
        }
        if (damaged > 0) {
            series.skip(
                    damaged,
                    segment + ": "
                            + (damaged == 1
                                    ? "record " + damagedRecords.get(0) + " damaged (" + firstDamage + "); skipped"
                                    : damaged + " damaged records skipped (records " + recordList() + "; first: "
                                            + firstDamage + ")"));
        }
        if (unreadable > 0) {
            series.skip(
                    unreadable,
                    segment + ": " + unreadable
                            + (unreadable == 1 ? " unreadable record" : " unreadable records")
                            + " skipped (" + (unreadable == 1 ? "" : "first at ") + firstUnreadable + ")");
        }
        if (overLong > 0) {
            series.skip(
                    overLong,
                    segment + ": " + overLong + (overLong == 1 ? " record" : " records")
                            + " longer than " + megabytes(LineSplitter.MAX_LINE_BYTES) + " skipped ("
                            + (overLong == 1 ? "" : "first at ") + firstOverLong + ")");
        }
        if (truncated) {
            series.skip(1, segment + TRUNCATED);
        }
        if (duplicates > 0) {
            series.warn(segment + ": " + duplicates + (duplicates == 1 ? " record" : " records")
                    + " dropped as duplicates (same JVM run and sequence number as a record read before; first: "
                    + "sequence " + firstDuplicate + ")");
        }
        if (strayBytes > 0) {
            series.warn(segment + ": " + strayBytes + (strayBytes == 1 ? " stray byte" : " stray bytes")
                    + " between records skipped (too few to hold a record)");
        }
    }

    private String recordList() {
        String named = damagedRecords.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return damaged > damagedRecords.size() ? named + " and " + (damaged - damagedRecords.size()) + " more" : named;
    }

    // The agent ends every record with a newline, so a last line without one is the start of a record whose
    // writing stopped, unless it happens to be complete (a hand-made file without a final newline).
    private void finalLineWithoutNewline() throws InputException {
        byte[] bytes = splitter.partialLine();
        splitter.discardPartialLine();
        String text = new String(bytes, StandardCharsets.UTF_8);
        lineNumber++;
        try {
            accept(SnapshotCodec.decode(text));
        } catch (SnapshotFormatException e) {
            failIfNewerVersion(text, e);
            truncated = true;
            series.noteProblem(segment + TRUNCATED);
        }
    }

    private void failIfNewerVersion(String text, SnapshotFormatException e) throws InputException {
        if (SnapshotFormat.isNewerVersion(text)) {
            throw new InputException(segment + ": " + Inputs.oneLine(e.getMessage()), e);
        }
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }
}

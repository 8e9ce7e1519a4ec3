package dev.leakwatch.format;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The on-disk snapshot format, documented in {@code docs/formats.md}. This class and {@link SnapshotCodec} are the
 * only places that know it; the agent writes through them and the analyzer reads through them.
 *
 * <p>A recording directory holds segment files {@code snapshots-NNNNNN.jsonl.gz}. Each record is one JSON object on
 * one line, compressed as a gzip member of its own and appended to the segment: a crash can only truncate the
 * member being written, and every member before it stays a complete, readable gzip stream.
 */
public final class SnapshotFormat {
    /** The value of the {@code format} field of every record. */
    public static final String FORMAT_NAME = "leakwatch-snapshot";
    /**
     * The version this build writes. Bump it on any change and keep reading the older ones. 2 added the optional
     * {@code allocations} section (allocation-site retention), 3 its optional {@code instrumentation} counts, 4 its
     * {@code sampler} (which mechanism picked the samples, and so what {@code samplingInterval} counts), 5 the optional
     * {@code agentOwned} rows (the agent's own objects in the histogram).
     */
    public static final int CURRENT_VERSION = 5;
    /** The oldest version this build still reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private static final Pattern SEGMENT_NAME = Pattern.compile("snapshots-(\\d{6,})\\.jsonl(\\.gz)?");
    // Long.MAX_VALUE has 19 digits; an index of 18 cannot overflow, and is more than the agent ever numbers.
    private static final int MAX_INDEX_DIGITS = 18;

    private SnapshotFormat() {}

    public static String segmentFileName(long index) {
        return String.format("snapshots-%06d.jsonl.gz", index);
    }

    /**
     * The segment index in a file name, or -1 when the name is not a segment's, or is shaped like one but with a
     * number too large for any segment ({@link #isSegmentShaped} tells those apart).
     */
    public static long segmentIndex(String fileName) {
        Matcher matcher = SEGMENT_NAME.matcher(fileName);
        if (!matcher.matches()) {
            return -1;
        }
        String digits = matcher.group(1).replaceFirst("^0+(?=\\d)", "");
        return digits.length() <= MAX_INDEX_DIGITS ? Long.parseLong(digits) : -1;
    }

    /** Whether a file name has the shape of a segment's, whatever its number. */
    public static boolean isSegmentShaped(String fileName) {
        return SEGMENT_NAME.matcher(fileName).matches();
    }

    public static boolean isCompressed(String fileName) {
        return fileName.endsWith(".gz");
    }

    /**
     * Whether a record that {@link SnapshotCodec#decode} refused is a leakwatch snapshot of a version newer than
     * {@link #CURRENT_VERSION}, rather than a damaged or foreign one: a reader must not skip those as damage, or it
     * would analyze a newer recording as if it held nothing.
     */
    public static boolean isNewerVersion(String record) {
        return SnapshotDecoder.isNewerVersion(record);
    }
}

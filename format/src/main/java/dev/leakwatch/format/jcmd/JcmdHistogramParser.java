package dev.leakwatch.format.jcmd;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the class histogram text that {@code jcmd PID GC.class_histogram}, {@code jmap -histo[:live]} and the
 * DiagnosticCommand MBean's {@code gcClassHistogram} print:
 *
 * <pre>
 *  num     #instances         #bytes  class name (module)
 * -------------------------------------------------------
 *    1:         12993        1045504  [B (java.base@17.0.15)
 * Total         72710        4309648
 * </pre>
 *
 * Lines that are not rows (the PID line jcmd prints first, headers, the total) are passed over. A row claiming more
 * than {@link SnapshotCodec#MAX_AMOUNT} instances or bytes is refused, as in a snapshot record: no JVM prints it,
 * and read as data it bends every trend (issue 11).
 */
public final class JcmdHistogramParser {
    // Long.MAX_VALUE has 19 digits: a count of up to 18 parses without overflow, and more is refused anyway.
    private static final int MAX_DIGITS = 18;

    // "   1:   12993   1045504  [B (java.base@17.0.15)" ; the module suffix is optional (JDK 8 has none).
    private static final Pattern ROW =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

    private JcmdHistogramParser() {}

    /**
     * @throws ImpossibleValueException when a row has a count no JVM prints; the message names the row
     * @throws IllegalArgumentException when the text holds no histogram row at all; the message says so in one line
     */
    public static ClassHistogram parse(String text, HistogramKind kind) {
        List<String> names = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            Matcher row = ROW.matcher(text.substring(start, end));
            if (row.matches()) {
                String name = ClassNames.normalize(row.group(3)).intern();
                names.add(name);
                counts.add(new long[] {amount(row.group(1), "instances", name), amount(row.group(2), "bytes", name)});
            }
            start = end + 1;
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no class histogram rows found (expected lines like "
                    + "'   1:   12993   1045504  [B (java.base)' as printed by jcmd PID GC.class_histogram)");
        }
        long[] instances = new long[names.size()];
        long[] bytes = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            instances[i] = counts.get(i)[0];
            bytes[i] = counts.get(i)[1];
        }
        return new ClassHistogram(kind, names.toArray(new String[0]), instances, bytes);
    }

    private static long amount(String digits, String column, String className) {
        long amount = digits.length() <= MAX_DIGITS ? Long.parseLong(digits) : Long.MAX_VALUE;
        if (amount > SnapshotCodec.MAX_AMOUNT) {
            throw new ImpossibleValueException("the row of " + className + " has " + column + " "
                    + (digits.length() > 40 ? digits.substring(0, 40) + "..." : digits) + ", more than 2^50");
        }
        return amount;
    }

    /** A histogram that holds a value no JVM prints: damage, not a histogram to stop at. */
    public static final class ImpossibleValueException extends IllegalArgumentException {
        ImpossibleValueException(String message) {
            super(message);
        }
    }
}

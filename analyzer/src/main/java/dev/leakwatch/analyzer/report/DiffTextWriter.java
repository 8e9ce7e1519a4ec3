package dev.leakwatch.analyzer.report;

import static dev.leakwatch.analyzer.report.TerminalText.safe;

import dev.leakwatch.format.report.HistogramDiff;
import java.util.Locale;

/**
 * {@code leakwatch diff}'s table for a terminal: the totals, then the classes whose bytes changed most (either way),
 * {@link #ROWS} at most, within 100 columns but for long class names, which are printed whole in the last column.
 */
public final class DiffTextWriter {
    public static final int ROWS = 40;

    public String render(HistogramDiff diff) {
        StringBuilder out = new StringBuilder(4096);
        out.append(String.format(
                Locale.ROOT,
                "leakwatch diff: %,d classes changed, %,d unchanged; total %s, %s instances\n",
                diff.changes().size(),
                diff.unchanged(),
                signedBytes(diff.bytesChange()),
                signedCount(diff.instancesChange())));
        side(out, "before", diff.before());
        side(out, "after ", diff.after());
        if (diff.changes().isEmpty()) {
            return out.append("\nno class changed\n").toString();
        }
        out.append(String.format(
                Locale.ROOT,
                "\n%12s %14s %12s %14s  %s\n",
                "bytes",
                "instances",
                "bytes after",
                "inst. after",
                "class"));
        int shown = Math.min(ROWS, diff.changes().size());
        for (HistogramDiff.ClassChange change : diff.changes().subList(0, shown)) {
            out.append(String.format(
                    Locale.ROOT,
                    "%12s %14s %12s %,14d  %s\n",
                    signedBytes(change.bytesChange()),
                    signedCount(change.instancesChange()),
                    Wording.bytes(change.bytesAfter()),
                    change.instancesAfter(),
                    safe(change.className())));
        }
        if (diff.changes().size() > shown) {
            out.append(String.format(
                    Locale.ROOT,
                    "... and %,d more classes (--format json or html lists them all)\n",
                    diff.changes().size() - shown));
        }
        return out.toString();
    }

    private static void side(StringBuilder out, String name, HistogramDiff.Side side) {
        out.append(String.format(
                Locale.ROOT,
                "%s: %s, %s histogram, %s in %,d instances; %s\n",
                name,
                side.time(),
                side.histogramKind(),
                Wording.bytes(side.totalBytes()),
                side.totalInstances(),
                safe(side.source())));
    }

    static String signedBytes(long bytes) {
        return (bytes > 0 ? "+" : "") + Wording.bytes(bytes);
    }

    static String signedCount(long count) {
        return String.format(Locale.ROOT, "%+,d", count);
    }
}

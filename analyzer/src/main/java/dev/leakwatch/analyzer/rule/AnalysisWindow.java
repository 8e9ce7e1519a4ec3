package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.series.SeriesTable;
import java.util.Arrays;

/**
 * The post-warm-up part of a {@link SeriesTable} that the rules look at (their one input: it lives with them so
 * that the analysis uses the rules and not the reverse, issue 12), with its time axis in minutes from the
 * window's start: the unit growth rates are reported in.
 */
public final class AnalysisWindow {
    private final SeriesTable table;
    private final int first;
    private final double[] minutes;

    public AnalysisWindow(SeriesTable table, int firstPoint) {
        this.table = table;
        this.first = firstPoint;
        int points = Math.max(0, table.size() - firstPoint);
        this.minutes = new double[points];
        for (int i = 0; i < points; i++) {
            minutes[i] = (table.epochMillis(first + i) - table.epochMillis(first)) / 60_000.0;
        }
    }

    public SeriesTable table() {
        return table;
    }

    public int points() {
        return minutes.length;
    }

    public double spanMinutes() {
        return minutes.length == 0 ? 0 : minutes[minutes.length - 1];
    }

    public long epochMillis(int index) {
        return table.epochMillis(first + index);
    }

    public int tablePoint(int index) {
        return first + index;
    }

    /** A series over the window, leaving out the points where the value was not recorded. */
    public Series classBytes(String className) {
        return collect(index -> table.classBytes(className, first + index));
    }

    public Series classInstances(String className) {
        return collect(index -> table.classInstances(className, first + index));
    }

    public Series pathBytes(String pathKey) {
        return collect(index -> table.pathBytes(pathKey, first + index));
    }

    public Series pathSamples(String pathKey) {
        return collect(index -> table.pathSamples(pathKey, first + index));
    }

    public Series pathEpochs(String pathKey) {
        return collect(index -> table.pathEpochs(pathKey, first + index));
    }

    public Series gauge(SeriesTable.Gauge gauge) {
        return collect(index -> table.gauge(gauge, first + index));
    }

    public Series of(java.util.function.IntToLongFunction valueAtIndex) {
        return collect(valueAtIndex);
    }

    private Series collect(java.util.function.IntToLongFunction valueAtIndex) {
        double[] x = new double[minutes.length];
        double[] y = new double[minutes.length];
        int[] index = new int[minutes.length];
        int n = 0;
        for (int i = 0; i < minutes.length; i++) {
            long value = valueAtIndex.applyAsLong(i);
            if (value == SeriesTable.UNKNOWN) {
                continue;
            }
            x[n] = minutes[i];
            y[n] = value;
            index[n] = i;
            n++;
        }
        return new Series(Arrays.copyOf(x, n), Arrays.copyOf(y, n), Arrays.copyOf(index, n));
    }

    /**
     * Values over time.
     *
     * @param minutes from the window's start
     * @param index   the window index of each value (to find its time stamp)
     */
    public record Series(double[] minutes, double[] values, int[] index) {
        public int size() {
            return values.length;
        }

        public boolean isEmpty() {
            return values.length == 0;
        }

        public double first() {
            return values[0];
        }

        public double last() {
            return values[values.length - 1];
        }
    }
}

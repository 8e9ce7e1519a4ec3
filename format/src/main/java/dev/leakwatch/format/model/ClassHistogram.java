package dev.leakwatch.format.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One class histogram, stored column-wise: a histogram of a real application has thousands of rows and the agent
 * keeps a window of them in memory, so three arrays cost a fraction of a list of row objects.
 */
public final class ClassHistogram {
    private final HistogramKind kind;
    private final String[] classNames;
    private final long[] instances;
    private final long[] bytes;

    public ClassHistogram(HistogramKind kind, String[] classNames, long[] instances, long[] bytes) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (classNames.length != instances.length || classNames.length != bytes.length) {
            throw new IllegalArgumentException("histogram columns differ in length");
        }
        this.classNames = classNames.clone();
        this.instances = instances.clone();
        this.bytes = bytes.clone();
    }

    public static ClassHistogram of(HistogramKind kind, List<ClassCount> rows) {
        String[] names = new String[rows.size()];
        long[] counts = new long[rows.size()];
        long[] sizes = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ClassCount row = rows.get(i);
            names[i] = row.className();
            counts[i] = row.instances();
            sizes[i] = row.bytes();
        }
        return new ClassHistogram(kind, names, counts, sizes);
    }

    public HistogramKind kind() {
        return kind;
    }

    public int size() {
        return classNames.length;
    }

    public String className(int row) {
        return classNames[row];
    }

    public long instances(int row) {
        return instances[row];
    }

    public long bytes(int row) {
        return bytes[row];
    }

    public long totalBytes() {
        return Arrays.stream(bytes).sum();
    }

    public long totalInstances() {
        return Arrays.stream(instances).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassHistogram that
                && kind == that.kind
                && Arrays.equals(classNames, that.classNames)
                && Arrays.equals(instances, that.instances)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(classNames), Arrays.hashCode(instances), Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "ClassHistogram[" + kind.wireName() + ", " + classNames.length + " classes, " + totalBytes() + " bytes]";
    }
}

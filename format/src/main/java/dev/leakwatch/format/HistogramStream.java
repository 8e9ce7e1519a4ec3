package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a record's {@code histogram} object straight from the parser, without a tree: its rows are nearly all of a
 * record, and building a node for every name and count made decoding most of what {@code analyze} spent on 10,000
 * snapshots of 5,000 classes ({@code docs/measurements.md}).
 *
 * <p>Only the exact shape the codec writes, with values in range, is read here; for anything else
 * {@link #read} answers null, and the caller decodes the record as a tree, whose messages say what is wrong.
 */
final class HistogramStream {
    private HistogramStream() {}

    /** With the parser on the histogram's START_OBJECT: the histogram, or null to decode the record as a tree. */
    static ClassHistogram read(JsonParser parser) throws IOException {
        HistogramKind kind = null;
        Rows rows = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                return null;
            }
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("kind") && value == JsonToken.VALUE_STRING) {
                kind = HistogramKind.fromWireName(parser.getText());
            } else if (field.equals("classes") && value == JsonToken.START_ARRAY) {
                rows = readRows(parser);
                if (rows == null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (kind == null || rows == null) {
            return null;
        }
        return rows.histogram(kind);
    }

    private static Rows readRows(JsonParser parser) throws IOException {
        Rows rows = new Rows();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String name = parser.getText();
            long instances = amount(parser);
            long bytes = amount(parser);
            if (instances < 0 || bytes < 0 || parser.nextToken() != JsonToken.END_ARRAY) {
                return null;
            }
            rows.add(name, instances, bytes);
        }
        return rows;
    }

    /** The next value as an amount the codec accepts, or -1. */
    private static long amount(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return -1;
        }
        long value = parser.getLongValue();
        return value <= SnapshotCodec.MAX_AMOUNT ? value : -1;
    }

    private static final class Rows {
        private String[] names = new String[256];
        private long[] instances = new long[256];
        private long[] bytes = new long[256];
        private int size;

        void add(String name, long count, long size) {
            if (this.size == names.length) {
                names = Arrays.copyOf(names, 2 * this.size);
                instances = Arrays.copyOf(instances, 2 * this.size);
                bytes = Arrays.copyOf(bytes, 2 * this.size);
            }
            names[this.size] = name.intern();
            instances[this.size] = count;
            bytes[this.size] = size;
            this.size++;
        }

        ClassHistogram histogram(HistogramKind kind) {
            return new ClassHistogram(
                    kind, Arrays.copyOf(names, size), Arrays.copyOf(instances, size), Arrays.copyOf(bytes, size));
        }
    }
}

package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One JSON value as {@link JsonValueReader} read it, immutable: an object (fields in their order), an array, a
 * string, a whole number (exact: a {@code long}, or a {@link BigInteger} beyond one), a floating-point number, a
 * boolean or null; and {@link #MISSING}, what {@link #path} answers for a field that is not there.
 *
 * <p>The accessors answer as Jackson's {@code JsonNode} does, down to its leniencies ({@link #asText()} of null is
 * {@code "null"}, {@link #asInt} parses a string, iterating an object gives its values): the snapshot format's
 * reading rules were written against {@code JsonNode}, and the records they accept and the messages they give are
 * pinned by {@code SnapshotCodecTest} and the fuzz tests ({@code JsonValueReaderTest} holds the two side by side).
 * Only what the decoder uses is here.
 */
sealed interface JsonValue extends Iterable<JsonValue> {
    /** What {@link #path} gives for a field that is not there; every accessor answers it as absent. */
    JsonValue MISSING = new MissingValue();

    /** The field's value; null when there is no such field, or this is not an object. */
    default JsonValue get(String field) {
        return null;
    }

    /** The field's value; {@link #MISSING} when there is no such field, or this is not an object. */
    default JsonValue path(String field) {
        JsonValue value = get(field);
        return value != null ? value : MISSING;
    }

    /** The array's element; null when there is no such element, or this is not an array. */
    default JsonValue get(int index) {
        return null;
    }

    /** The number of elements of an array or fields of an object; 0 for anything else. */
    default int size() {
        return 0;
    }

    /** The elements of an array, the values of an object, nothing for anything else. */
    @Override
    default Iterator<JsonValue> iterator() {
        return Collections.emptyIterator();
    }

    default boolean isObject() {
        return false;
    }

    default boolean isArray() {
        return false;
    }

    default boolean isTextual() {
        return false;
    }

    default boolean isNumber() {
        return false;
    }

    /** A number written without fraction or exponent. */
    default boolean isIntegralNumber() {
        return false;
    }

    default boolean isNull() {
        return false;
    }

    /** A number whose whole part fits a {@code long}: {@link #asLong} then answers it (truncated if fractional). */
    default boolean canConvertToLong() {
        return false;
    }

    /** A number's whole part (saturated beyond a {@code long}, low bits of a big integer); 0 for anything else. */
    default long asLong() {
        return 0;
    }

    /**
     * A number's whole part cut to an {@code int}, a string's number ({@link NumberInput#parseAsInt}: trimmed, a
     * fraction cut off), 1 or 0 for a boolean; {@code absent} for anything else, and for a string that is no number.
     */
    default int asInt(int absent) {
        return absent;
    }

    /** True for true, a non-zero whole number, and a string that trims to {@code true}; false otherwise. */
    default boolean asBoolean() {
        return false;
    }

    /**
     * A string's text; a number, boolean or null as it is written in JSON ({@code 1.0E20}, {@code null}); the empty
     * string for an object, an array and {@link #MISSING}.
     */
    default String asText() {
        return "";
    }

    /** {@link #asText()}, but {@code absent} for null and {@link #MISSING}. */
    default String asText(String absent) {
        return asText();
    }

    /**
     * An object, its fields in the order read; a later field of the same name replaced the earlier's value.
     *
     * <p>Takes over the map it is given rather than copying it, which would add about a tenth to decoding a record's
     * fields: its makers (the reader, and the decoder for a record's top level) build the map and let go of it.
     */
    final class ObjectValue implements JsonValue {
        private final Map<String, JsonValue> fields;

        ObjectValue(LinkedHashMap<String, JsonValue> fields) {
            this.fields = fields;
        }

        /** The fields, read-only. */
        Map<String, JsonValue> fields() {
            return Collections.unmodifiableMap(fields);
        }

        @Override
        public JsonValue get(String field) {
            return fields.get(field);
        }

        @Override
        public int size() {
            return fields.size();
        }

        @Override
        public Iterator<JsonValue> iterator() {
            return Collections.unmodifiableCollection(fields.values()).iterator();
        }

        @Override
        public boolean isObject() {
            return true;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ObjectValue object && fields.equals(object.fields);
        }

        @Override
        public int hashCode() {
            return fields.hashCode();
        }

        @Override
        public String toString() {
            return JsonText.of(this);
        }
    }

    /** An array; takes over the array it is given, as {@link ObjectValue} takes over its map. */
    final class ArrayValue implements JsonValue {
        private final JsonValue[] elements;

        ArrayValue(JsonValue... elements) {
            this.elements = elements;
        }

        /** The elements, read-only. */
        List<JsonValue> elements() {
            return Collections.unmodifiableList(Arrays.asList(elements));
        }

        @Override
        public JsonValue get(int index) {
            return index >= 0 && index < elements.length ? elements[index] : null;
        }

        @Override
        public int size() {
            return elements.length;
        }

        @Override
        public Iterator<JsonValue> iterator() {
            return elements().iterator();
        }

        @Override
        public boolean isArray() {
            return true;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ArrayValue array && Arrays.equals(elements, array.elements);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(elements);
        }

        @Override
        public String toString() {
            return JsonText.of(this);
        }
    }

    record StringValue(String text) implements JsonValue {
        public StringValue {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public boolean isTextual() {
            return true;
        }

        @Override
        public int asInt(int absent) {
            return NumberInput.parseAsInt(text, absent);
        }

        @Override
        public boolean asBoolean() {
            return text.trim().equals("true");
        }

        @Override
        public String asText() {
            return text;
        }

        @Override
        public String toString() {
            return JsonText.of(this);
        }
    }

    /** A whole number that fits a {@code long}. */
    record LongValue(long value) implements JsonValue {
        @Override
        public boolean isNumber() {
            return true;
        }

        @Override
        public boolean isIntegralNumber() {
            return true;
        }

        @Override
        public boolean canConvertToLong() {
            return true;
        }

        @Override
        public long asLong() {
            return value;
        }

        @Override
        public int asInt(int absent) {
            return (int) value;
        }

        @Override
        public boolean asBoolean() {
            return value != 0;
        }

        @Override
        public String asText() {
            return Long.toString(value);
        }

        @Override
        public String toString() {
            return asText();
        }
    }

    /** A whole number beyond a {@code long}, kept exact. */
    record BigIntegerValue(BigInteger value) implements JsonValue {
        public BigIntegerValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isNumber() {
            return true;
        }

        @Override
        public boolean isIntegralNumber() {
            return true;
        }

        @Override
        public boolean canConvertToLong() {
            return value.bitLength() < Long.SIZE;
        }

        @Override
        public long asLong() {
            return value.longValue();
        }

        @Override
        public int asInt(int absent) {
            return value.intValue();
        }

        @Override
        public boolean asBoolean() {
            return value.signum() != 0;
        }

        @Override
        public String asText() {
            return value.toString();
        }

        @Override
        public String toString() {
            return asText();
        }
    }

    /** A number written with a fraction or an exponent; one too large for a double is infinite. */
    record DoubleValue(double value) implements JsonValue {
        @Override
        public boolean isNumber() {
            return true;
        }

        @Override
        public boolean canConvertToLong() {
            return value >= Long.MIN_VALUE && value <= Long.MAX_VALUE;
        }

        @Override
        public long asLong() {
            return (long) value;
        }

        @Override
        public int asInt(int absent) {
            return (int) value;
        }

        @Override
        public String asText() {
            return Double.toString(value);
        }

        /** As a JSON generator writes it: infinity, which JSON has no number for, as the string {@code "Infinity"}. */
        @Override
        public String toString() {
            return JsonText.of(this);
        }
    }

    enum BooleanValue implements JsonValue {
        FALSE,
        TRUE;

        static BooleanValue of(boolean value) {
            return value ? TRUE : FALSE;
        }

        @Override
        public int asInt(int absent) {
            return this == TRUE ? 1 : 0;
        }

        @Override
        public boolean asBoolean() {
            return this == TRUE;
        }

        @Override
        public String asText() {
            return this == TRUE ? "true" : "false";
        }

        @Override
        public String toString() {
            return asText();
        }
    }

    enum NullValue implements JsonValue {
        NULL;

        @Override
        public boolean isNull() {
            return true;
        }

        @Override
        public String asText() {
            return "null";
        }

        @Override
        public String asText(String absent) {
            return absent;
        }

        @Override
        public String toString() {
            return "null";
        }
    }

    /** See {@link #MISSING}: the one instance. */
    final class MissingValue implements JsonValue {
        private MissingValue() {}

        @Override
        public String asText(String absent) {
            return absent;
        }

        @Override
        public String toString() {
            return "";
        }
    }

    /** Values as JSON text, written by Jackson's generator, whose escaping and number forms {@code JsonNode} used. */
    final class JsonText {
        private static final JsonFactory JSON = new JsonFactory();

        private JsonText() {}

        /** Iterative, the open containers kept on the heap: a value nested as deep as the reader allows fits. */
        static String of(JsonValue value) {
            StringWriter out = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(out)) {
                Deque<Open> open = new ArrayDeque<>();
                start(json, value, open);
                while (!open.isEmpty()) {
                    Open container = open.peek();
                    if (!container.contents().hasNext()) {
                        open.pop();
                        if (container.object()) {
                            json.writeEndObject();
                        } else {
                            json.writeEndArray();
                        }
                    } else if (container.object()) {
                        Map.Entry<?, ?> field =
                                (Map.Entry<?, ?>) container.contents().next();
                        json.writeFieldName((String) field.getKey());
                        start(json, (JsonValue) field.getValue(), open);
                    } else {
                        start(json, (JsonValue) container.contents().next(), open);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing to a string cannot fail", e);
            }
            return out.toString();
        }

        /** Writes a scalar whole, or a container's start, leaving its contents to the loop in {@link #of}. */
        private static void start(JsonGenerator json, JsonValue value, Deque<Open> open) throws IOException {
            if (value instanceof ObjectValue object) {
                json.writeStartObject();
                open.push(new Open(object.fields().entrySet().iterator(), true));
            } else if (value instanceof ArrayValue array) {
                json.writeStartArray();
                open.push(new Open(array.elements().iterator(), false));
            } else if (value instanceof StringValue string) {
                json.writeString(string.text());
            } else if (value instanceof LongValue number) {
                json.writeNumber(number.value());
            } else if (value instanceof BigIntegerValue number) {
                json.writeNumber(number.value());
            } else if (value instanceof DoubleValue number) {
                json.writeNumber(number.value());
            } else if (value instanceof BooleanValue bool) {
                json.writeBoolean(bool.asBoolean());
            } else if (value == NullValue.NULL) {
                json.writeNull();
            }
            // MISSING writes nothing, as JsonNode's MissingNode does.
        }

        /** An object's fields or an array's elements, being written. */
        private record Open(Iterator<?> contents, boolean object) {}
    }
}

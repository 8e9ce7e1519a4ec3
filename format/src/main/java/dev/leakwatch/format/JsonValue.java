package dev.leakwatch.format;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Iterator;

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
 *
 * <p>The defaults below are the answers of a value that is none of the things asked about; each kind of value
 * overrides what it is: {@link ObjectValue}, {@link ArrayValue}, {@link StringValue}, the {@link NumberValue}s,
 * {@link BooleanValue}, {@link NullValue} and {@link MissingValue}. {@link JsonText} writes them as JSON.
 */
sealed interface JsonValue extends Iterable<JsonValue>
        permits ObjectValue, ArrayValue, StringValue, NumberValue, BooleanValue, NullValue, JsonValue.MissingValue {
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
}

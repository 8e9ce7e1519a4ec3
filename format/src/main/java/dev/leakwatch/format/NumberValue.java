package dev.leakwatch.format;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A JSON number, of the kind the parser gave it ({@link JsonValueReader}), as data binding kept it in a
 * {@code LongNode}, {@code BigIntegerNode} or {@code DoubleNode}: each converts as that node did.
 */
sealed interface NumberValue extends JsonValue
        permits NumberValue.LongValue, NumberValue.BigIntegerValue, NumberValue.DoubleValue {
    @Override
    default boolean isNumber() {
        return true;
    }

    /** A whole number that fits a {@code long}. */
    record LongValue(long value) implements NumberValue {
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
    record BigIntegerValue(BigInteger value) implements NumberValue {
        public BigIntegerValue {
            Objects.requireNonNull(value, "value");
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
    record DoubleValue(double value) implements NumberValue {
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
}

package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.RefusedReportException.mismatch;
import static dev.leakwatch.format.report.RefusedReportException.weird;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;

/**
 * The report's strings, numbers and booleans, converted from whatever JSON scalar holds them as data binding
 * converted them (its default coercions), and refused where it refused them, with its words: a number from a string
 * ({@code "12"}, trimmed), an empty or blank string or {@code "null"} as no number, a number with a fraction cut to
 * the whole number if that fits, a number or boolean as its text where a string is expected, a whole number as a
 * boolean. {@code JsonReportReaderTest} tries each field with every kind of value against data binding itself.
 *
 * <p>Each reads the value the parser is on. A primitive's reader ({@link #intValue}) answers 0 or false where a boxed
 * one ({@link #boxedInteger}) answers null.
 */
final class ScalarConversions {
    private ScalarConversions() {}

    static String string(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return p.getValueAsString(); // a number as written, true or false
        }
        throw mismatch(p, String.class);
    }

    static int intValue(JsonParser p) throws IOException {
        Integer value = integer(p, int.class);
        return value == null ? 0 : value;
    }

    static Integer boxedInteger(JsonParser p) throws IOException {
        return integer(p, Integer.class);
    }

    private static Integer integer(JsonParser p, Class<?> type) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return p.getIntValue();
            case VALUE_NUMBER_FLOAT:
                return p.getValueAsInt(); // the whole part, refused beyond an int
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                try {
                    if (text.length() > 9) {
                        p.streamReadConstraints().validateIntegerLength(text.length());
                        long value = NumberInput.parseLong(text);
                        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                            throw weird(p, type, text, "Overflow: numeric value out of range of int");
                        }
                        return (int) value;
                    }
                    return NumberInput.parseInt(text);
                } catch (IllegalArgumentException e) {
                    throw weird(p, type, text, "not a valid `int` value");
                }
            default:
                throw mismatch(p, type);
        }
    }

    static long longValue(JsonParser p) throws IOException {
        Long value = boxedLong(p);
        return value == null ? 0 : value;
    }

    static Long boxedLong(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getValueAsLong(); // the whole part, refused beyond a long
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                p.streamReadConstraints().validateIntegerLength(text.length());
                try {
                    return NumberInput.parseLong(text);
                } catch (IllegalArgumentException e) {
                    throw weird(p, Long.class, text, "not a valid `long` value");
                }
            default:
                throw mismatch(p, Long.class);
        }
    }

    static double doubleValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_NULL:
                return 0;
            case VALUE_STRING:
                String text = p.getText();
                Double special = specialDouble(text);
                if (special != null) {
                    return special;
                }
                text = nonBlankText(p);
                if (text == null) {
                    return 0;
                }
                try {
                    return NumberInput.parseDouble(text, false);
                } catch (IllegalArgumentException e) {
                    throw weird(p, double.class, text, "not a valid `double` value (as String to convert)");
                }
            default:
                throw mismatch(p, double.class);
        }
    }

    /** {@code minutesToExhaustion}: as {@link #doubleValue}, but the text must look like a JSON number. */
    static Double boxedDouble(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = p.getText();
                Double special = specialDouble(text);
                if (special != null) {
                    return special;
                }
                text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                if (NumberInput.looksLikeValidNumber(text)) {
                    p.streamReadConstraints().validateFPLength(text.length());
                    try {
                        return NumberInput.parseDouble(text, false);
                    } catch (IllegalArgumentException e) {
                        // refused below
                    }
                }
                throw weird(p, Double.class, text, "not a valid `Double` value");
            default:
                throw mismatch(p, Double.class);
        }
    }

    private static Double specialDouble(String text) {
        return switch (text) {
            case "Infinity", "+Infinity", "INF", "+INF" -> Double.POSITIVE_INFINITY;
            case "-Infinity", "-INF" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> null;
        };
    }

    static boolean booleanValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
            case VALUE_NULL:
                return false;
            case VALUE_NUMBER_INT:
                // The number's text where it is beyond an int: JSON numbers have no white space or leading zeros.
                return p.getNumberType() == JsonParser.NumberType.INT
                        ? p.getIntValue() != 0
                        : !p.getText().equals("0");
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return false;
                }
                switch (text) {
                    case "true", "True", "TRUE":
                        return true;
                    case "false", "False", "FALSE":
                        return false;
                    default:
                        throw weird(p, boolean.class, text, "only \"true\" or \"false\" recognized");
                }
            default:
                throw mismatch(p, boolean.class);
        }
    }

    /**
     * A string's text to convert to a number or boolean, trimmed; null for what data binding read as null: an empty
     * or blank string, and {@code "null"}.
     */
    private static String nonBlankText(JsonParser p) throws IOException {
        String text = p.getText();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > ' ') {
                String trimmed = text.trim();
                return trimmed.equals("null") ? null : trimmed;
            }
        }
        return null;
    }
}

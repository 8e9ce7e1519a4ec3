package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.Parsers.read;
import static dev.leakwatch.format.report.Parsers.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link ScalarConversions}: data binding's coercions, one example of each, with the words of its refusals.
 * {@code JsonReportReaderTest} (analyzer) holds every field against data binding itself over many more values.
 */
class ScalarConversionsTest {
    @Test
    void aStringIsAnyScalarAsWritten() throws Exception {
        assertEquals("a", read(ScalarConversions::string, "\"a\""));
        assertEquals("12.50", read(ScalarConversions::string, "12.50"));
        assertEquals("true", read(ScalarConversions::string, "true"));
        assertNull(read(ScalarConversions::string, "null"));
        assertEquals(
                "Cannot deserialize value of type `java.lang.String` from START_ARRAY",
                refusal(ScalarConversions::string, "[]"));
    }

    @Test
    void wholeNumbersComeFromStringsAndFractions() throws Exception {
        assertEquals(12, read(ScalarConversions::intValue, "\" 12 \""));
        assertEquals(1, read(ScalarConversions::intValue, "1.9"));
        assertEquals(Long.MAX_VALUE, read(ScalarConversions::longValue, "\"9223372036854775807\""));
        assertEquals(1000L, read(ScalarConversions::longValue, "1e3"));
    }

    @Test
    void blankTextAndNullAreNoNumber() throws Exception {
        for (String none : new String[] {"null", "\"\"", "\"  \"", "\"null\"", "\" null \""}) {
            assertEquals(0, read(ScalarConversions::intValue, none), none);
            assertNull(read(ScalarConversions::boxedInteger, none), none);
            assertEquals(0L, read(ScalarConversions::longValue, none), none);
            assertNull(read(ScalarConversions::boxedLong, none), none);
            assertEquals(0.0, read(ScalarConversions::doubleValue, none), none);
            assertNull(read(ScalarConversions::boxedDouble, none), none);
            assertFalse(read(ScalarConversions::booleanValue, none), none);
        }
    }

    @Test
    void numbersThatDoNotFitOrParseAreRefused() {
        assertEquals(
                "Cannot deserialize value of type `int` from String \"2147483648\": Overflow: numeric value out of"
                        + " range of int",
                refusal(ScalarConversions::intValue, "\"2147483648\""));
        assertEquals(
                "Cannot deserialize value of type `java.lang.Integer` from String \"abc\": not a valid `int`"
                        + " value",
                refusal(ScalarConversions::boxedInteger, "\"abc\""));
        assertEquals(
                "Cannot deserialize value of type `java.lang.Long` from String \"1.5\": not a valid `long` value",
                refusal(ScalarConversions::longValue, "\"1.5\""));
        assertEquals(
                "Cannot deserialize value of type `int` from START_OBJECT", refusal(ScalarConversions::intValue, "{}"));
    }

    /** {@code minutesToExhaustion} is a {@code Double}, which data binding parsed more strictly than a double. */
    @Test
    void aBoxedDoubleNeedsTextThatLooksLikeAJsonNumber() throws Exception {
        assertEquals(1.5, read(ScalarConversions::doubleValue, "\"1.5d\""));
        assertEquals(
                "Cannot deserialize value of type `java.lang.Double` from String \"1.5d\": not a valid `Double`"
                        + " value",
                refusal(ScalarConversions::boxedDouble, "\"1.5d\""));
        assertEquals(1.5, read(ScalarConversions::boxedDouble, "\" 1.5 \""));
    }

    @Test
    void specialDoublesAreReadByTheirNames() throws Exception {
        assertTrue(Double.isNaN(read(ScalarConversions::doubleValue, "\"NaN\"")));
        assertEquals(Double.POSITIVE_INFINITY, read(ScalarConversions::boxedDouble, "\"INF\""));
        assertEquals(Double.NEGATIVE_INFINITY, read(ScalarConversions::doubleValue, "\"-Infinity\""));
    }

    @Test
    void booleansComeFromWholeNumbersAndThreeCasesOfTheirNames() throws Exception {
        assertTrue(read(ScalarConversions::booleanValue, "2"));
        assertFalse(read(ScalarConversions::booleanValue, "0"));
        assertTrue(read(ScalarConversions::booleanValue, "99999999999999999999"), "beyond a long, by its text");
        assertTrue(read(ScalarConversions::booleanValue, "\" TRUE \""));
        assertFalse(read(ScalarConversions::booleanValue, "\"False\""));
        assertEquals(
                "Cannot deserialize value of type `boolean` from String \"tRue\": only \"true\" or \"false\""
                        + " recognized",
                refusal(ScalarConversions::booleanValue, "\"tRue\""));
        assertEquals(
                "Cannot deserialize value of type `boolean` from VALUE_NUMBER_FLOAT",
                refusal(ScalarConversions::booleanValue, "1.0"));
    }
}

package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JsonValueReader}, {@link JsonValue} and its kinds, and their text ({@link JsonText}): values read as Jackson's
 * data binding read them into {@code JsonNode}s, whose answers the snapshot decoder's rules were written against
 * ({@link #DATA_BINDING} is that reference, a test dependency only), with the nesting bounded and no recursion.
 */
class JsonValueReaderTest {
    private static final ObjectMapper DATA_BINDING = new ObjectMapper();

    /** Every kind of value, and the strings and numbers whose conversions differ from the obvious. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1",
                "-0",
                "2147483648",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890123456789012345678901234567890",
                "1.5",
                "-0.0",
                "5.9",
                "1e2",
                "1E400",
                "-1e400",
                "1e-400",
                "123456789012345678901234567890.5",
                "\"6\"",
                "\" 6 \"",
                "\"6.9\"",
                "\"+6\"",
                "\"+-6\"",
                "\"1e1\"",
                "\"0x1p3\"",
                "\"NaN\"",
                "\"99999999999\"",
                "\"abc\"",
                "\"\"",
                "\"true\"",
                "\" true \"",
                "\"false\"",
                "\"quoted \\\" \\\\ \\u0001 \u00e9\"",
                "true",
                "false",
                "null",
                "[]",
                "[1,\"a\",null]",
                "{}",
                "{\"a\":1,\"b\":[true,{\"c\":null}]}",
                "{\"a\":1,\"b\":2,\"a\":3}"
            })
    void answersAsDataBindingsTreeDid(String json) throws Exception {
        JsonValue value = JsonValueReader.read(json);
        JsonNode node = DATA_BINDING.readTree(json);
        assertSameAnswers(node, value, json);
    }

    private static void assertSameAnswers(JsonNode node, JsonValue value, String where) {
        assertEquals(node.isObject(), value.isObject(), where);
        assertEquals(node.isArray(), value.isArray(), where);
        assertEquals(node.isTextual(), value.isTextual(), where);
        assertEquals(node.isNumber(), value.isNumber(), where);
        assertEquals(node.isIntegralNumber(), value.isIntegralNumber(), where);
        assertEquals(node.isNull(), value.isNull(), where);
        assertEquals(node.canConvertToLong(), value.canConvertToLong(), where);
        if (node.isNumber()) {
            assertEquals(node.asLong(), value.asLong(), where);
        }
        assertEquals(node.asInt(-1), value.asInt(-1), where);
        assertEquals(node.asBoolean(), value.asBoolean(), where);
        assertEquals(node.asText(), value.asText(), where);
        assertEquals(node.asText("absent"), value.asText("absent"), where);
        assertEquals(node.toString(), value.toString(), where);
        assertEquals(node.size(), value.size(), where);
        List<JsonNode> nodes = new ArrayList<>();
        node.forEach(nodes::add);
        List<JsonValue> values = new ArrayList<>();
        value.forEach(values::add);
        assertEquals(nodes.size(), values.size(), where);
        for (int i = 0; i < nodes.size(); i++) {
            assertSameAnswers(nodes.get(i), values.get(i), where + " element " + i);
            if (node.isArray()) {
                assertSameAnswers(node.get(i), value.get(i), where + " [" + i + "]");
            }
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertSameAnswers(node.get(name), value.get(name), where + " ." + name);
        }
        assertEquals(node.get("absent") == null, value.get("absent") == null, where);
        assertEquals(node.get(99) == null, value.get(99) == null, where);
        assertSameAnswers(node.path("absent"), value.path("absent"));
    }

    private static void assertSameAnswers(JsonNode missing, JsonValue value) {
        assertTrue(missing.isMissingNode());
        assertSame(JsonValue.MISSING, value);
        assertEquals(missing.asText(), value.asText());
        assertEquals(missing.asText("absent"), value.asText("absent"));
        assertEquals(missing.asInt(-1), value.asInt(-1));
        assertEquals(missing.toString(), value.toString());
        assertEquals(missing.size(), value.size());
        assertFalse(value.iterator().hasNext());
    }

    @Test
    void objectsKeepTheirOrderAndTheLastOfARepeatedField() throws Exception {
        JsonValue object = JsonValueReader.read("{\"b\":1,\"a\":2,\"b\":3}");
        assertEquals("{\"b\":3,\"a\":2}", object.toString());
        assertEquals(List.of(new NumberValue.LongValue(3), new NumberValue.LongValue(2)), listOf(object));
    }

    @Test
    void wholeNumbersStayExactBeyondALong() throws Exception {
        JsonValue big = JsonValueReader.read("[9223372036854775808, -9223372036854775808, 1e3]");
        assertEquals(new NumberValue.BigIntegerValue(new BigInteger("9223372036854775808")), big.get(0));
        assertEquals(new NumberValue.LongValue(Long.MIN_VALUE), big.get(1));
        assertEquals(new NumberValue.DoubleValue(1000), big.get(2));
    }

    @Test
    void onlyTheFirstValueOfATextIsRead() throws Exception {
        assertEquals(new NumberValue.LongValue(5), JsonValueReader.read("5 6"));
        assertEquals("{}", JsonValueReader.read("{} ]").toString());
        assertSame(JsonValue.MISSING, JsonValueReader.read(" \n"));
        assertSame(NullValue.NULL, JsonValueReader.read("null"));
    }

    @Test
    void malformedJsonIsRefusedWithTheParsersMessage() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonValueReader.read("{\"a\":}"));
        // Data binding read fields with nextFieldName(), which words this differently from nextToken().
        assertTrue(
                e.getOriginalMessage().startsWith("Unexpected character ('}' (code 125)): expected a valid value"),
                e.getOriginalMessage());
    }

    @Test
    void nestingIsReadToTheLimitAndRefusedBeyondIt() throws Exception {
        String deepest = "[".repeat(JsonValueReader.MAX_DEPTH) + "]".repeat(JsonValueReader.MAX_DEPTH);
        JsonValue value = JsonValueReader.read(deepest);
        assertEquals(deepest, value.toString(), "written back without recursion");
        String deeper = "[" + deepest + "]";
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonValueReader.read(deeper));
        assertTrue(
                e.getOriginalMessage().contains("nesting depth (" + (JsonValueReader.MAX_DEPTH + 1) + ")"),
                e.getOriginalMessage());
    }

    /** On a thread with a small stack: reading and writing keep the open containers on the heap. */
    @Test
    void deepNestingNeedsNoStack() throws Exception {
        String deepest =
                "[{\"a\":".repeat(JsonValueReader.MAX_DEPTH / 2) + "null" + "}]".repeat(JsonValueReader.MAX_DEPTH / 2);
        String hostile = "[{\"a\":".repeat(200_000);
        Thread reader = new Thread(
                null,
                () -> {
                    try {
                        assertEquals(deepest, JsonValueReader.read(deepest).toString());
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                    assertThrows(JsonProcessingException.class, () -> JsonValueReader.read(hostile));
                },
                "small stack",
                64 * 1024);
        List<Throwable> failures = new ArrayList<>();
        reader.setUncaughtExceptionHandler((thread, failure) -> failures.add(failure));
        reader.start();
        reader.join();
        assertEquals(List.of(), failures);
    }

    @Test
    void valuesAreImmutable() throws Exception {
        ObjectValue object = (ObjectValue) JsonValueReader.read("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> object.fields().put("b", NullValue.NULL));
        ArrayValue array = (ArrayValue) object.get("a");
        assertThrows(UnsupportedOperationException.class, () -> array.elements().add(NullValue.NULL));
    }

    private static List<JsonValue> listOf(JsonValue value) {
        List<JsonValue> values = new ArrayList<>();
        value.forEach(values::add);
        return values;
    }
}

package dev.leakwatch.format.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RecordFields}: an object's fields for a record, refusing those that data binding had nowhere to put. */
class RecordFieldsTest {
    private record Pair(int a, int b) {}

    @Test
    void givesEachFieldWithTheParserOnItsValue() throws Exception {
        assertEquals(List.of("b=2", "a=1"), fields("{\"b\":2,\"a\":1}"));
    }

    @Test
    void aRepeatedFieldIsGivenAgainUntilEveryComponentIsGiven() throws Exception {
        assertEquals(List.of("a=1", "a=3", "b=2"), fields("{\"a\":1,\"a\":3,\"b\":2}"));
        JsonProcessingException e =
                assertThrows(JsonProcessingException.class, () -> fields("{\"a\":1,\"b\":2,\"a\":3}"));
        assertEquals(
                "Field \"a\" after every field of `" + Pair.class.getName() + "` was given", e.getOriginalMessage());
    }

    @Test
    void anUnknownFieldIsRefusedByName() throws Exception {
        try (JsonParser p = Parsers.on("{\"c\":1}")) {
            RecordFields fields = new RecordFields(p, Pair.class);
            assertEquals("c", fields.next());
            assertEquals(
                    "Unrecognized field \"c\" (class " + Pair.class.getName() + "), not marked as ignorable",
                    fields.unknown().getOriginalMessage());
        }
    }

    @Test
    void aRecordIsAnObjectOrNull() throws Exception {
        try (JsonParser p = Parsers.on("null")) {
            assertTrue(RecordFields.isNull(p, Pair.class));
        }
        try (JsonParser p = Parsers.on("{}")) {
            assertFalse(RecordFields.isNull(p, Pair.class));
            assertNull(new RecordFields(p, Pair.class).next());
        }
        try (JsonParser p = Parsers.on("[]")) {
            JsonProcessingException e =
                    assertThrows(JsonProcessingException.class, () -> RecordFields.isNull(p, Pair.class));
            assertEquals(
                    "Cannot deserialize value of type `" + Pair.class.getName() + "` from START_ARRAY",
                    e.getOriginalMessage());
        }
    }

    /** Each field as name=value, in the order given. */
    private static List<String> fields(String json) throws Exception {
        List<String> given = new ArrayList<>();
        try (JsonParser p = Parsers.on(json)) {
            RecordFields fields = new RecordFields(p, Pair.class);
            for (String field = fields.next(); field != null; field = fields.next()) {
                given.add(field + "=" + p.getText());
            }
        }
        return given;
    }
}

package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * Reads {@link JsonValue}s with Jackson's streaming parser, as its data binding's {@code readTree} read them
 * (numbers keep the type the parser gives them; a repeated field name keeps its last value; nothing after the first
 * value of a text is read), so that jackson-core is all the analyzer needs to read snapshots.
 *
 * <p>Hostile input is bounded twice over: the caller caps the size of a record ({@code LineSplitter.MAX_LINE_BYTES}),
 * and {@link #JSON}'s parser refuses nesting deeper than {@link #MAX_DEPTH}. Reading keeps the open containers on the
 * heap, not in nested calls, so no depth it lets through can overflow the thread's stack.
 */
final class JsonValueReader {
    /**
     * The deepest nesting read: Jackson's own default, which data binding applied before, so that every record read
     * then still reads. The format itself nests 5 deep (a path's frames in the allocations).
     */
    static final int MAX_DEPTH = 1000;
    /** The parsers for everything read as JSON values, with {@link #MAX_DEPTH} set explicitly. */
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private JsonValueReader() {}

    /** The first value in the text, {@link JsonValue#MISSING} when it holds none (empty or white space). */
    static JsonValue read(String text) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            return parser.nextToken() == null ? JsonValue.MISSING : read(parser);
        }
    }

    /**
     * The value that starts at the parser's current token, which must be a value's first token; leaves the parser on
     * the value's last token.
     *
     * <p>Object fields are read with {@link JsonParser#nextFieldName()}, as data binding read them: the parser words
     * some errors differently from {@link JsonParser#nextToken()} ({@code {"a":}}: "expected a valid value" rather
     * than "expected a value"), and a record's message quotes them.
     */
    static JsonValue read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IllegalStateException("the parser is not on a value");
        }
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return scalar(parser, token);
        }
        OpenContainers open = new OpenContainers();
        while (true) {
            switch (token) {
                case START_OBJECT -> open.startObject();
                case START_ARRAY -> open.startArray();
                default -> {
                    JsonValue value = token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY
                            ? open.end()
                            : scalar(parser, token);
                    if (open.isEmpty()) {
                        return value;
                    }
                    open.add(value);
                }
            }
            if (!open.inObject()) {
                token = parser.nextToken();
            } else if (open.field(parser.nextFieldName())) {
                token = parser.nextToken();
            } else {
                token = parser.currentToken(); // the object's end: the parser refuses anything else there
            }
        }
    }

    private static JsonValue scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> new StringValue(parser.getText());
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new NumberValue.BigIntegerValue(parser.getBigIntegerValue())
                        : new NumberValue.LongValue(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> new NumberValue.DoubleValue(parser.getDoubleValue());
            case VALUE_TRUE -> BooleanValue.TRUE;
            case VALUE_FALSE -> BooleanValue.FALSE;
            case VALUE_NULL -> NullValue.NULL;
            default -> throw new IllegalStateException("not a JSON value: " + token);
        };
    }

    /**
     * The objects and arrays being read, innermost last, on the heap. A level's element buffer is kept for the next
     * array at that depth: an array's value is then a copy of exactly its elements.
     */
    private static final class OpenContainers {
        private Level[] levels = new Level[8];
        private int depth;

        boolean isEmpty() {
            return depth == 0;
        }

        void startObject() {
            next().fields = new LinkedHashMap<>();
        }

        void startArray() {
            Level level = next();
            level.fields = null;
            level.size = 0;
        }

        private Level next() {
            if (depth == levels.length) {
                levels = Arrays.copyOf(levels, 2 * depth);
            }
            if (levels[depth] == null) {
                levels[depth] = new Level();
            }
            return levels[depth++];
        }

        boolean inObject() {
            return levels[depth - 1].fields != null;
        }

        /** Names the next field of the innermost object; false at its end. */
        boolean field(String name) {
            levels[depth - 1].field = name;
            return name != null;
        }

        void add(JsonValue value) {
            Level level = levels[depth - 1];
            if (level.fields != null) {
                level.fields.put(level.field, value);
            } else {
                if (level.size == level.elements.length) {
                    level.elements = Arrays.copyOf(level.elements, 2 * level.size);
                }
                level.elements[level.size++] = value;
            }
        }

        JsonValue end() {
            Level level = levels[--depth];
            if (level.fields != null) {
                ObjectValue object = new ObjectValue(level.fields);
                level.fields = null;
                return object;
            }
            JsonValue[] elements = Arrays.copyOf(level.elements, level.size);
            Arrays.fill(level.elements, 0, level.size, null);
            return new ArrayValue(elements);
        }

        private static final class Level {
            private LinkedHashMap<String, JsonValue> fields;
            private String field;
            private JsonValue[] elements = new JsonValue[8];
            private int size;
        }
    }
}

package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

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
        } else if (value instanceof NumberValue.LongValue number) {
            json.writeNumber(number.value());
        } else if (value instanceof NumberValue.BigIntegerValue number) {
            json.writeNumber(number.value());
        } else if (value instanceof NumberValue.DoubleValue number) {
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

package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.RefusedReportException.mismatch;
import static dev.leakwatch.format.report.RefusedReportException.refused;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The fields of one JSON object read into a record: the names in order, each with the parser on its value. A
 * name after the object has given every component is refused: data binding built the record once it had them
 * all, and had nowhere to put more. Before that, a repeated name is given again, so its last value counts.
 *
 * <p>Its users dispatch on the name and refuse what they do not know with {@link #unknown()}:
 * <pre>{@code
 * RecordFields fields = new RecordFields(p, Example.class);
 * for (String field = fields.next(); field != null; field = fields.next()) {
 *     switch (field) {
 *         case "count" -> count = intValue(p);
 *         default -> throw fields.unknown();
 *     }
 * }
 * }</pre>
 */
final class RecordFields {
    private final JsonParser p;
    private final Class<?> record;
    private final int components;
    private final Set<String> given = new HashSet<>();
    private String name;

    /** With the parser on the object's start ({@link #isNull} answered false). */
    RecordFields(JsonParser p, Class<? extends Record> record) {
        this.p = p;
        this.record = record;
        this.components = record.getRecordComponents().length;
    }

    /** With the parser on a value to read as a record: true for null, false for an object; refused otherwise. */
    static boolean isNull(JsonParser p, Class<?> record) throws JsonProcessingException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return true;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, record);
        }
        return false;
    }

    /** The next field's name, the parser on its value; null at the object's end. */
    String next() throws IOException {
        if (p.nextToken() == JsonToken.END_OBJECT) {
            return null;
        }
        name = p.currentName();
        if (given.size() == components) {
            throw refused(p, "Field \"" + name + "\" after every field of `" + record.getName() + "` was given");
        }
        given.add(name);
        p.nextToken();
        return name;
    }

    /** The refusal of the field {@link #next} named last, which the record does not have. */
    JsonProcessingException unknown() {
        return refused(
                p, "Unrecognized field \"" + name + "\" (class " + record.getName() + "), not marked as ignorable");
    }
}

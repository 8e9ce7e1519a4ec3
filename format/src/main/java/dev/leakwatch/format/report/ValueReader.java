package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.RefusedReportException.mismatch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the value the parser is on, leaving the parser on the value's last token. */
@FunctionalInterface
interface ValueReader<T> {
    T read(JsonParser p) throws IOException;

    /** A list, or null; refused when not an array. Its elements may be null: the records' constructors refuse that. */
    static <T> List<T> list(JsonParser p, ValueReader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, List.class);
        }
        List<T> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(element.read(p));
        }
        return list;
    }
}

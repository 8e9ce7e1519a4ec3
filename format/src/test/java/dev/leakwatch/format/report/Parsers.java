package dev.leakwatch.format.report;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** The report readers' parts run on a JSON text, as {@link JsonReportReader} runs them on a field's value. */
final class Parsers {
    private static final JsonFactory JSON = new JsonFactory();

    private Parsers() {}

    /** A parser on the text's first token. */
    static JsonParser on(String json) throws IOException {
        JsonParser p = JSON.createParser(json);
        p.nextToken();
        return p;
    }

    static <T> T read(ValueReader<T> reader, String json) throws IOException {
        try (JsonParser p = on(json)) {
            return reader.read(p);
        }
    }

    /** The refusal's message, without the location. */
    static String refusal(ValueReader<?> reader, String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> read(reader, json), json);
        return e.getOriginalMessage();
    }
}

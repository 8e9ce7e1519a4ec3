package dev.leakwatch.format.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What does not read as a report; a {@link JsonProcessingException}, the one failure {@link ReportJson#read}
 * documents. Its makers word each refusal as data binding worded it and place it at the parser's current token
 * ({@code JsonReportReaderTest.aRefusalSaysWhereAndWhy}).
 */
final class RefusedReportException extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    private RefusedReportException(String message, JsonLocation location, Throwable cause) {
        super(message, location, cause);
    }

    /** The current token cannot be read as a {@code type} at all (an array where a number belongs). */
    static JsonProcessingException mismatch(JsonParser p, Class<?> type) {
        return refused(p, "Cannot deserialize value of type `" + type.getName() + "` from " + p.currentToken());
    }

    /** A string, or a number standing for one, that does not convert to a {@code type}, {@code why} not. */
    static JsonProcessingException weird(JsonParser p, Class<?> type, String text, String why) {
        return refused(
                p, "Cannot deserialize value of type `" + type.getName() + "` from String \"" + text + "\": " + why);
    }

    /** The record's constructor refused what was read (a list left out, or holding a null). */
    static JsonProcessingException notConstructed(JsonParser p, Class<?> type, RuntimeException problem) {
        return new RefusedReportException(
                "Cannot construct instance of `" + type.getName() + "`, problem: " + problem,
                p.currentTokenLocation(),
                problem);
    }

    static JsonProcessingException refused(JsonParser p, String message) {
        return new RefusedReportException(message, p.currentTokenLocation(), null);
    }
}

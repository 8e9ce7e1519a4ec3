package dev.leakwatch.format;

import com.fasterxml.jackson.core.io.NumberInput;
import java.util.Objects;

/**
 * A string; a number ({@link #asInt}) or a boolean ({@link #asBoolean}) only where its text parses as one, as
 * {@code TextNode} answers.
 */
record StringValue(String text) implements JsonValue {
    public StringValue {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public boolean isTextual() {
        return true;
    }

    @Override
    public int asInt(int absent) {
        return NumberInput.parseAsInt(text, absent);
    }

    @Override
    public boolean asBoolean() {
        return text.trim().equals("true");
    }

    @Override
    public String asText() {
        return text;
    }

    @Override
    public String toString() {
        return JsonText.of(this);
    }
}

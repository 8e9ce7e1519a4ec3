package dev.leakwatch.format;

/** {@code true} or {@code false}: 1 or 0 as a number, as {@code BooleanNode} answers. */
enum BooleanValue implements JsonValue {
    FALSE,
    TRUE;

    static BooleanValue of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @Override
    public int asInt(int absent) {
        return this == TRUE ? 1 : 0;
    }

    @Override
    public boolean asBoolean() {
        return this == TRUE;
    }

    @Override
    public String asText() {
        return this == TRUE ? "true" : "false";
    }

    @Override
    public String toString() {
        return asText();
    }
}

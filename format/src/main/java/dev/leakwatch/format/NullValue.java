package dev.leakwatch.format;

/** {@code null}: written {@code null}, but absent to {@link #asText(String)}, as {@code NullNode} answers. */
enum NullValue implements JsonValue {
    NULL;

    @Override
    public boolean isNull() {
        return true;
    }

    @Override
    public String asText() {
        return "null";
    }

    @Override
    public String asText(String absent) {
        return absent;
    }

    @Override
    public String toString() {
        return "null";
    }
}

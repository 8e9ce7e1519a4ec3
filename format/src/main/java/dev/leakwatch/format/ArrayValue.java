package dev.leakwatch.format;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An array; takes over the array it is given, as {@link ObjectValue} takes over its map. */
final class ArrayValue implements JsonValue {
    private final JsonValue[] elements;

    ArrayValue(JsonValue... elements) {
        this.elements = elements;
    }

    /** The elements, read-only. */
    List<JsonValue> elements() {
        return Collections.unmodifiableList(Arrays.asList(elements));
    }

    @Override
    public JsonValue get(int index) {
        return index >= 0 && index < elements.length ? elements[index] : null;
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return elements().iterator();
    }

    @Override
    public boolean isArray() {
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArrayValue array && Arrays.equals(elements, array.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        return JsonText.of(this);
    }
}

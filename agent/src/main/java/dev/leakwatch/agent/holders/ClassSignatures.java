package dev.leakwatch.agent.holders;

import java.util.Map;

/**
 * Class names as the JVM signs them ({@code com.acme.Foo$Bar} as {@code Lcom/acme/Foo$Bar;}, {@code byte[]} as
 * {@code [B}): the heap walk finds classes by signature, so that asking for a class's name never fills in one.
 */
final class ClassSignatures {
    private static final Map<String, String> PRIMITIVES = Map.of(
            "boolean", "Z", "byte", "B", "char", "C", "short", "S", "int", "I", "long", "J", "float", "F", "double",
            "D");

    private ClassSignatures() {}

    /** The signature of a class by its type name, as histograms and reports give it. */
    static String of(String typeName) {
        StringBuilder signature = new StringBuilder();
        String element = typeName;
        while (element.endsWith("[]")) {
            signature.append('[');
            element = element.substring(0, element.length() - 2);
        }
        String primitive = signature.length() > 0 ? PRIMITIVES.get(element) : null;
        if (primitive != null) {
            return signature.append(primitive).toString();
        }
        return signature
                .append('L')
                .append(element.replace('.', '/'))
                .append(';')
                .toString();
    }

    /** The signature prefix of the classes in a package given as {@code dev.leakwatch.agent.}. */
    static String ofPackage(String packagePrefix) {
        return "L" + packagePrefix.replace('.', '/');
    }
}

package dev.leakwatch.analyzer.rule;

/**
 * How much a class name tells a person about what leaks. A {@code HashMap$Node} or a {@code byte[]} is what every
 * leak is made of; the application or library type that holds them is what people need to read.
 */
final class ClassSpecificity {
    private ClassSpecificity() {}

    /** Higher is more specific: 3 application/library class, 2 array of one, 1 public JDK type, 0 JDK internals and arrays. */
    static int of(String className) {
        if (className.endsWith("[]")) {
            String element = className.substring(0, className.indexOf('['));
            return isJdk(element) || element.indexOf('.') < 0 ? 0 : 2;
        }
        if (!isJdk(className)) {
            return 3;
        }
        return className.indexOf('$') < 0 && (className.startsWith("java.") || className.startsWith("javax.")) ? 1 : 0;
    }

    static boolean isApplicationType(String className) {
        return of(className) >= 2;
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.")
                || className.startsWith("javax.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("com.sun.");
    }
}

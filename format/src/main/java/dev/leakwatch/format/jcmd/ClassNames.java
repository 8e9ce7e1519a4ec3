package dev.leakwatch.format.jcmd;

/**
 * Turns the names a class histogram prints into binary names as people write them: {@code [B} becomes
 * {@code byte[]}, {@code [[Ljava.lang.String;} becomes {@code java.lang.String[][]}; other names stay as they are.
 */
public final class ClassNames {
    private ClassNames() {}

    public static String normalize(String histogramName) {
        if (histogramName.isEmpty() || histogramName.charAt(0) != '[') {
            return histogramName;
        }
        int dimensions = 0;
        while (dimensions < histogramName.length() && histogramName.charAt(dimensions) == '[') {
            dimensions++;
        }
        String element = elementName(histogramName.substring(dimensions));
        if (element == null) {
            return histogramName;
        }
        return element + "[]".repeat(dimensions);
    }

    private static String elementName(String descriptor) {
        if (descriptor.length() == 1) {
            switch (descriptor.charAt(0)) {
                case 'B':
                    return "byte";
                case 'C':
                    return "char";
                case 'D':
                    return "double";
                case 'F':
                    return "float";
                case 'I':
                    return "int";
                case 'J':
                    return "long";
                case 'S':
                    return "short";
                case 'Z':
                    return "boolean";
                default:
                    return null;
            }
        }
        if (descriptor.startsWith("L") && descriptor.endsWith(";")) {
            return descriptor.substring(1, descriptor.length() - 1);
        }
        return null;
    }
}

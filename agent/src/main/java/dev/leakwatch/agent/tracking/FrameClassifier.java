package dev.leakwatch.agent.tracking;

import java.util.List;

/** Which frame of a path is the first outside the JDK, and which the first of the application itself. */
final class FrameClassifier {
    private static final String[] JDK = TrackingSettings.JDK_PREFIXES.toArray(String[]::new);

    private final String[] libraries;

    FrameClassifier(List<String> libraryPrefixes) {
        this.libraries = libraryPrefixes.toArray(String[]::new);
    }

    /** Index of the first class outside the JDK, -1 when none. */
    int firstNonJdk(String[] classNames) {
        for (int i = 0; i < classNames.length; i++) {
            if (!startsWithAny(classNames[i], JDK)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first class outside the JDK and the known libraries, -1 when none. */
    int firstApplication(String[] classNames) {
        for (int i = 0; i < classNames.length; i++) {
            if (!startsWithAny(classNames[i], JDK) && !startsWithAny(classNames[i], libraries)) {
                return i;
            }
        }
        return -1;
    }

    /** The class of a frame written like {@code com.acme.Cache.put(Cache.java:42)}; the whole text when it is not. */
    static String classOfFrame(String frame) {
        int paren = frame.indexOf('(');
        String method = paren < 0 ? frame : frame.substring(0, paren);
        int dot = method.lastIndexOf('.');
        return dot < 0 ? method : method.substring(0, dot);
    }

    private static boolean startsWithAny(String className, String[] prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

package dev.leakwatch.agent.sampling;

/**
 * Which frames of the JVM's own stack walk {@link StackWalker} would not show by default, so that a stack from the
 * heap sampler reads like one from the bytecode hooks: frames of hidden classes (lambda proxies, lambda forms), the
 * JDK's method-handle holder classes, and reflection ({@code Method.invoke}, {@code Constructor.newInstance} and their
 * implementation classes). A lambda proxy's frame in particular must go: its class is outside the JDK's packages, so
 * it would pass for the application's first frame.
 */
final class HiddenFrames {
    private static final String INVOKE = "java.lang.invoke.";

    private HiddenFrames() {}

    static boolean isHidden(String className, String methodName, boolean hiddenClass) {
        if (hiddenClass || className.contains("$$Lambda")) {
            return true;
        }
        if (className.startsWith(INVOKE)) {
            String simple = className.substring(INVOKE.length());
            return simple.startsWith("LambdaForm$") || simple.endsWith("$Holder");
        }
        if (className.startsWith("jdk.internal.reflect.") || className.startsWith("sun.reflect.")) {
            return true;
        }
        return switch (className) {
            case "java.lang.reflect.Method" -> methodName.equals("invoke");
            case "java.lang.reflect.Constructor" -> methodName.startsWith("newInstance");
            default -> false;
        };
    }
}

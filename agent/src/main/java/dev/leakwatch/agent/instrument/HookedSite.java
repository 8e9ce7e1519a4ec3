package dev.leakwatch.agent.instrument;

/**
 * One hooked allocation site: an allocating bytecode instruction of one method, identified by the id that the
 * instrumentation compiled into the call to the bootstrap hook. (The report's view of a site is the analyzer's
 * {@code AllocationSite}.)
 *
 * @param id            the site id, as passed to {@code AllocationHook.allocated}
 * @param className     binary name of the declaring class, e.g. {@code com.acme.Cache$Entry}
 * @param methodName    the method's name, {@code <init>} and {@code <clinit>} included
 * @param descriptor    the method's descriptor, e.g. {@code (Ljava/lang/Object;)V}
 * @param line          the source line from the LineNumberTable, or -1 when the class has none
 * @param allocatedType binary name of the allocated type, arrays as {@code byte[]} or {@code java.lang.Object[][]};
 *                      {@code java.lang.Object} where only the run-time type tells (reflection, {@code Object.clone()})
 * @param sourceFile    the class's SourceFile attribute, or null when it has none
 */
public record HookedSite(
        int id,
        String className,
        String methodName,
        String descriptor,
        int line,
        String allocatedType,
        String sourceFile) {

    /** A site of a class without a SourceFile attribute. */
    public HookedSite(int id, String className, String methodName, String descriptor, int line, String allocatedType) {
        this(id, className, methodName, descriptor, line, allocatedType, null);
    }

    /**
     * The site as a stack frame, in {@link StackTraceElement}'s format: {@code com.acme.Cache.put(Cache.java:42)}.
     * Without a SourceFile attribute the file is the outermost class's simple name + {@code .java}, which is what
     * javac would have written; without a line, the line is left out.
     */
    public String frame() {
        String file = sourceFile != null ? sourceFile : defaultSourceFile(className);
        return className + "." + methodName + "(" + file + (line >= 0 ? ":" + line : "") + ")";
    }

    static String defaultSourceFile(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        if (nested > 0) {
            simple = simple.substring(0, nested);
        }
        return simple + ".java";
    }
}

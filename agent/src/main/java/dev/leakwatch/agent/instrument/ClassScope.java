package dev.leakwatch.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which classes get their allocation sites instrumented: the one ignore list of the instrumentation.
 *
 * <p>A class is instrumented when all of these hold:
 * <ol>
 *   <li>it is not on {@link #NEVER} (the agent, the hook's own slow path and the JDK machinery it relies on, other
 *       agents' byte-buddy), nor a lambda or hidden class;</li>
 *   <li>if the JDK defined it (bootstrap or platform class loader), it is one of {@link #JDK_CLASSES}: JDK classes
 *       outside that list are never instrumented, whatever {@code include} says;</li>
 *   <li>it matches one of the {@code include} patterns, when there are any (none: every class that passes 1 and 2);</li>
 *   <li>it matches none of the {@code exclude} patterns.</li>
 * </ol>
 *
 * <p>Patterns are class names with {@code /} or {@code .} as separator: {@code com.acme.*} (everything under
 * {@code com.acme}, subpackages included), {@code com.acme.} (the same), {@code com.acme.Cache} (the class and its
 * nested classes), {@code *Cache} ({@code *} is any run of characters, {@code ?} one character).
 */
public final class ClassScope {
    /**
     * JDK classes whose allocations explain leaks: the internals of the common collections ({@code HashMap$Node},
     * {@code Object[]} of an {@code ArrayList}, {@code TreeMap$Entry}, ...), the {@code Arrays.copyOf} family that
     * backs collection growth and string building, and the {@code byte[]} of strings built by
     * {@code StringBuilder}, and the {@code String} of every {@code "a" + b} that javac compiles to
     * {@code invokedynamic} ({@code StringConcatHelper}: the concatenation's own code is generated at run time and
     * cannot be instrumented; the stack walk skips its hidden frames, so the sample names the method that
     * concatenated). None of them is used by the hook's slow path itself; the recorder may use them, which
     * the hook's reentrancy guard covers. {@code HashSet} is listed for the {@code HashMap} its constructors create;
     * its entries are allocated by {@code HashMap}.
     */
    public static final List<String> JDK_CLASSES = List.of(
            "java.util.HashMap",
            "java.util.LinkedHashMap",
            "java.util.TreeMap",
            "java.util.ArrayList",
            "java.util.LinkedList",
            "java.util.ArrayDeque",
            "java.util.HashSet",
            "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.ConcurrentLinkedQueue",
            "java.util.concurrent.CopyOnWriteArrayList",
            "java.util.Arrays",
            "java.lang.AbstractStringBuilder",
            "java.lang.StringLatin1",
            "java.lang.StringUTF16",
            "java.lang.StringConcatHelper");

    /**
     * Never instrumented, by name prefix: leakwatch itself (agent, bootstrap, shaded code, the analyzer it runs; not
     * {@code dev.leakwatch.samples}, whose leaks the tests locate); what the hook, the
     * reference queue and the thread machinery run on ({@code java.lang.ref}, {@code java.lang.Thread*} which
     * includes {@code ThreadLocal}, {@code java.lang.invoke}, {@code jdk.internal}, {@code sun}); and unrelocated
     * byte-buddy, which belongs to other agents' transformers.
     */
    public static final List<String> NEVER = List.of(
            "dev.leakwatch.agent.",
            "dev.leakwatch.bootstrap.",
            "dev.leakwatch.shaded.",
            "dev.leakwatch.analyzer.",
            "java.lang.ref.",
            "java.lang.Thread",
            "java.lang.invoke.",
            "jdk.internal.",
            "sun.",
            "net.bytebuddy.");

    private static final Set<String> JDK_CLASS_SET = Set.copyOf(JDK_CLASSES);

    private final List<String> include;
    private final List<String> exclude;
    private final List<Pattern> includePatterns;
    private final List<Pattern> excludePatterns;

    private ClassScope(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.includePatterns = compile(this.include);
        this.excludePatterns = compile(this.exclude);
    }

    /** All application and library classes, and {@link #JDK_CLASSES}. */
    public static ClassScope defaults() {
        return new ClassScope(List.of(), List.of());
    }

    /**
     * @param include patterns of the classes to instrument; empty for all eligible classes
     * @param exclude patterns of classes not to instrument
     * @throws IllegalArgumentException for a pattern that is empty or not made of class-name characters, {@code *}
     *                                  and {@code ?}
     */
    public static ClassScope of(List<String> include, List<String> exclude) {
        return new ClassScope(include, exclude);
    }

    public List<String> include() {
        return include;
    }

    public List<String> exclude() {
        return exclude;
    }

    /**
     * @param className     binary name, e.g. {@code com.acme.Cache$Entry}
     * @param definedByJdk  whether the bootstrap or platform class loader defines it
     */
    public boolean includes(String className, boolean definedByJdk) {
        if (className.indexOf('/') >= 0 || className.contains("$$Lambda")) {
            return false; // a hidden class (Foo/0x1234) or a lambda proxy: cannot be retransformed
        }
        for (String prefix : NEVER) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        if (definedByJdk && !JDK_CLASS_SET.contains(className)) {
            return false;
        }
        if (!includePatterns.isEmpty() && !matchesAny(includePatterns, className)) {
            return false;
        }
        return !matchesAny(excludePatterns, className);
    }

    @Override
    public String toString() {
        return "include=" + (include.isEmpty() ? "<all>" : String.join(";", include)) + ", exclude="
                + (exclude.isEmpty() ? "<none>" : String.join(";", exclude));
    }

    private static boolean matchesAny(List<Pattern> patterns, String className) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(className).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compile(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            compiled.add(compile(pattern));
        }
        return List.copyOf(compiled);
    }

    static Pattern compile(String pattern) {
        String p = pattern == null ? "" : pattern.trim().replace('/', '.');
        if (p.isEmpty() || !p.matches("[\\p{javaJavaIdentifierPart}.*?$]+")) {
            throw new IllegalArgumentException("not a class pattern: '" + pattern
                    + "' (expected a class or package name such as com.acme.Cache or com.acme.*)");
        }
        boolean wildcard = p.indexOf('*') >= 0 || p.indexOf('?') >= 0;
        if (!wildcard && p.endsWith(".")) {
            p = p + "*"; // a package prefix
        }
        StringBuilder regex = new StringBuilder();
        for (char c : p.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (!wildcard && !p.endsWith("*")) {
            regex.append("(\\$.*)?"); // a class name also covers its nested classes
        }
        return Pattern.compile(regex.toString());
    }
}

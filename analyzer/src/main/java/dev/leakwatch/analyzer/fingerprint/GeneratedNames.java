package dev.leakwatch.analyzer.fingerprint;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes out of a class name or a stack frame what differs between two runs of the same code: the numbers and hashes
 * the JVM, the compiler and code generators put into the names of what they generate, and line numbers. What is left
 * names the code, so that the same leak reads the same in every JVM of a fleet and after a restart or a rebuild.
 *
 * <p>Each rule keeps the kind of generated thing ({@code $$Lambda}, {@code $Proxy}) and drops only its number: a
 * leak of lambdas and a leak of proxies stay apart, two numberings of one leak come together.
 */
public final class GeneratedNames {
    /** The rules in the order they apply; each replaces all of its matches. */
    private static final List<Rule> RULES = List.of(
            // A hidden class's address suffix: Foo$$Lambda$14/0x0000000801001234, Foo$$Lambda/0x0000... (Java 21+),
            // java.lang.invoke.LambdaForm$MH/0x...; different in every JVM.
            new Rule("/0x[0-9a-fA-F]+", ""),
            // Lambda proxy classes before Java 21 number them in the order they are linked: Foo$$Lambda$123.
            new Rule("\\$\\$Lambda\\$\\d+", "\\$\\$Lambda"),
            // javac's lambda bodies are numbered per class in source order, which an unrelated edit shifts:
            // lambda$handle$3, lambda$static$0.
            new Rule("(lambda\\$[\\w$]*?)\\$\\d+\\b", "$1"),
            // Reflection accessors the JVM generates after 15 calls, numbered in the order it generates them.
            new Rule("(Generated(?:Serialization)?(?:Method|Constructor)Accessor)\\d+", "$1"),
            // java.lang.reflect.Proxy classes, and their packages on Java 16+: jdk.proxy2.$Proxy12.
            new Rule("\\$Proxy\\d+", "\\$Proxy"),
            new Rule("\\bjdk\\.proxy\\d+\\.", "jdk.proxy."),
            // Synthetic accessors of nested classes before Java 11: access$000.
            new Rule("\\baccess\\$\\d+", "access\\$"),
            // CGLIB (and Spring's copy), ByteBuddy, Hibernate and Mockito subclasses carry a hash or counter.
            new Rule("(\\$\\$(?:EnhancerBy\\w*CGLIB|FastClassBy\\w*CGLIB|SpringCGLIB))\\$\\$[0-9a-fA-F]+", "$1"),
            new Rule("(\\$(?:ByteBuddy|HibernateProxy|MockitoMock))\\$\\w+", "$1"),
            // Groovy scripts without a class name are Script1, Script2, ... in the order they are compiled, and
            // their closures are numbered: Script12$_run_closure3.
            new Rule("(^|[.$/])Script\\d+\\b", "$1Script"),
            new Rule("(_closure)\\d+", "$1"));

    /** A frame's source position: (Cache.java:42), (Unknown Source), (Native Method). */
    private static final Pattern SOURCE_POSITION = Pattern.compile("\\(.*\\)$");

    private GeneratedNames() {}

    /** A class name with its generated numbers taken out. */
    public static String className(String name) {
        if (name == null) {
            return null;
        }
        String normalised = name;
        for (Rule rule : RULES) {
            normalised = rule.apply(normalised);
        }
        return normalised;
    }

    /**
     * A frame ({@code com.acme.Cache.put(Cache.java:42)}) as the method it runs, without its line, which an edit
     * anywhere above it in the file moves, and with its generated numbers taken out.
     */
    public static String frame(String frame) {
        if (frame == null) {
            return null;
        }
        return className(SOURCE_POSITION.matcher(frame.strip()).replaceFirst(""));
    }

    private record Rule(Pattern pattern, String replacement) {
        Rule(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }

        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }
}

package dev.leakwatch.analyzer.rule;

import java.util.Comparator;
import java.util.Set;

/**
 * How much a class name tells a person about what leaks, in four tiers. A {@code HashMap$Node} or a {@code byte[]} is
 * what every leak is made of; the type that holds them is what people need to read: the application's own
 * {@code Session}, or the JDK facility the application misuses, such as {@code java.util.logging.LogManager$LogNode}
 * for a logger per request (issue 13: that leak was named {@code java.lang.String} while every nested JDK class
 * ranked below every public one).
 *
 * <p>Only the name is used: the analyzer runs inside the host and must not load classes to ask them
 * ({@code AgentFootprintIT}).
 */
final class ClassSpecificity {
    /** From least to most specific: {@link Tier#compareTo} orders them so. */
    enum Tier {
        /**
         * Strings, boxes, {@code Object}, and arrays of primitives or of those ({@code byte[]}, {@code Object[]},
         * {@code String[]}): the data every leak holds, whoever holds it.
         */
        ELEMENTARY,
        /**
         * General-purpose JDK containers and their internals ({@code HashMap$Node}, {@code ConcurrentHashMap$Node},
         * {@code ArrayList}, {@code HashMap$Node[]}), reference objects and class mirrors: the structure every leak is
         * built from, whatever it stores.
         */
        GENERIC_JDK,
        /**
         * Every other JDK class ({@code LogManager$LogNode}, {@code URLClassLoader}, {@code java.sql.DriverInfo},
         * {@code javax.management.ObjectName}): the JDK facility that keeps the data, which tells where to look.
         */
        SPECIFIC_JDK,
        /** Classes outside the JDK, the application's and its libraries': code a person can change. */
        APPLICATION
    }

    /**
     * Most specific first: by tier, and within a tier a class before arrays (an array says what it holds, the class
     * is that). Ties are left to the caller, which breaks them by growth.
     */
    static final Comparator<String> MOST_SPECIFIC_FIRST = Comparator.comparing(
                    ClassSpecificity::tierOf, Comparator.reverseOrder())
            .thenComparing(ClassSpecificity::isArray);

    private static final Set<String> ELEMENTARY_TYPES = Set.of(
            "java.lang.Object",
            "java.lang.String",
            "java.lang.StringBuilder",
            "java.lang.StringBuffer",
            "java.lang.Boolean",
            "java.lang.Byte",
            "java.lang.Character",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double");

    /** Holders that say nothing of what they hold: references, and the mirror every loaded class has. */
    private static final Set<String> GENERIC_HOLDERS = Set.of(
            "java.lang.Class",
            "java.lang.ref.Reference",
            "java.lang.ref.WeakReference",
            "java.lang.ref.SoftReference",
            "java.lang.ref.PhantomReference");

    /**
     * The general-purpose collections of {@code java.util} and {@code java.util.concurrent}, by top-level name: they
     * and their nested classes ({@code HashMap$Node}, {@code ConcurrentHashMap$TreeBin},
     * {@code Collections$UnmodifiableMap}, {@code ImmutableCollections$ListN}) are generic. Other classes of those
     * packages ({@code UUID}, {@code Timer}, {@code ThreadPoolExecutor$Worker}) and their subpackages
     * ({@code java.util.logging}) name a facility and are specific.
     */
    private static final Set<String> GENERAL_COLLECTIONS = Set.of(
            "java.util.AbstractCollection",
            "java.util.AbstractList",
            "java.util.AbstractMap",
            "java.util.AbstractQueue",
            "java.util.AbstractSequentialList",
            "java.util.AbstractSet",
            "java.util.ArrayDeque",
            "java.util.ArrayList",
            "java.util.Arrays",
            "java.util.BitSet",
            "java.util.Collections",
            "java.util.EnumMap",
            "java.util.HashMap",
            "java.util.HashSet",
            "java.util.Hashtable",
            "java.util.IdentityHashMap",
            "java.util.ImmutableCollections",
            "java.util.JumboEnumSet",
            "java.util.KeyValueHolder",
            "java.util.LinkedHashMap",
            "java.util.LinkedHashSet",
            "java.util.LinkedList",
            "java.util.Optional",
            "java.util.PriorityQueue",
            "java.util.Properties",
            "java.util.RegularEnumSet",
            "java.util.Stack",
            "java.util.TreeMap",
            "java.util.TreeSet",
            "java.util.Vector",
            "java.util.WeakHashMap",
            "java.util.concurrent.ArrayBlockingQueue",
            "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.ConcurrentLinkedQueue",
            "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.ConcurrentSkipListSet",
            "java.util.concurrent.CopyOnWriteArrayList",
            "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.DelayQueue",
            "java.util.concurrent.LinkedBlockingDeque",
            "java.util.concurrent.LinkedBlockingQueue",
            "java.util.concurrent.LinkedTransferQueue",
            "java.util.concurrent.PriorityBlockingQueue");

    /** Class loaders whose simple name does not end in {@code ClassLoader}. */
    private static final Set<String> OTHER_LOADER_TYPES = Set.of("jdk.internal.loader.Loader");

    private static final String LOADER_SUFFIX = "ClassLoader";

    private ClassSpecificity() {}

    static Tier tierOf(String className) {
        if (isPrimitiveArray(className)) {
            return Tier.ELEMENTARY;
        }
        String element = elementOf(className);
        if (!isJdk(element)) {
            return Tier.APPLICATION;
        }
        if (ELEMENTARY_TYPES.contains(element)) {
            return Tier.ELEMENTARY;
        }
        if (GENERIC_HOLDERS.contains(element) || GENERAL_COLLECTIONS.contains(topLevel(element))) {
            return Tier.GENERIC_JDK;
        }
        return Tier.SPECIFIC_JDK;
    }

    static boolean isApplicationType(String className) {
        return tierOf(className) == Tier.APPLICATION;
    }

    /** A class of a specific tier, not an array: one that can tell a person more than the group's bulk does. */
    static boolean mayNameAGroup(String className) {
        return tierOf(className).compareTo(Tier.SPECIFIC_JDK) >= 0 && !isArray(className);
    }

    static boolean isArray(String className) {
        return className.endsWith("[]");
    }

    /** An array whose elements are of a primitive type, {@code byte[]} or {@code int[][]}: it holds no objects. */
    static boolean isPrimitiveArray(String className) {
        String element = elementOf(className);
        return !element.equals(className) && element.indexOf('.') < 0;
    }

    /**
     * Whether instances of the class are class loaders, judged by name: the simple name ends in {@code ClassLoader}
     * ({@code java.net.URLClassLoader}, {@code ParallelWebappClassLoader}, {@code ClassLoaders$AppClassLoader}) or
     * the name is a JDK loader named otherwise. The agent's own list of loader types covers the rest
     * ({@link GroupNaming}).
     */
    static boolean isClassLoaderByName(String className) {
        return className.endsWith(LOADER_SUFFIX) || OTHER_LOADER_TYPES.contains(className);
    }

    private static String elementOf(String className) {
        int bracket = className.indexOf('[');
        return bracket < 0 ? className : className.substring(0, bracket);
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.")
                || className.startsWith("javax.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("com.sun.");
    }
}

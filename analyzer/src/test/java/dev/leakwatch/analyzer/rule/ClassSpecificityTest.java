package dev.leakwatch.analyzer.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.rule.ClassSpecificity.Tier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which member names a leak: the type a person can act on, not what every leak is made of. */
class ClassSpecificityTest {
    @ParameterizedTest
    @CsvSource({
        "com.acme.Session, APPLICATION",
        "com.acme.Session$Attributes, APPLICATION",
        "org.hibernate.engine.spi.EntityKey, APPLICATION",
        "Unpackaged, APPLICATION",
        "com.acme.Session[], APPLICATION",
        "com.acme.Session[][], APPLICATION",
        // The JDK facility that holds the data: issue 13's logger registry and plugin reloader.
        "java.util.logging.LogManager$LogNode, SPECIFIC_JDK",
        "java.net.URLClassLoader, SPECIFIC_JDK",
        "java.sql.DriverInfo, SPECIFIC_JDK",
        "javax.management.ObjectName, SPECIFIC_JDK",
        "sun.nio.ch.FileChannelImpl, SPECIFIC_JDK",
        "jdk.internal.ref.CleanerImpl$PhantomCleanableRef, SPECIFIC_JDK",
        "java.lang.ThreadLocal$ThreadLocalMap$Entry, SPECIFIC_JDK",
        "java.util.UUID, SPECIFIC_JDK",
        "java.util.concurrent.ThreadPoolExecutor$Worker, SPECIFIC_JDK",
        "com.sun.proxy.$Proxy12, SPECIFIC_JDK",
        "java.util.logging.Logger[], SPECIFIC_JDK",
        // General collections, their internals and arrays of them; references and class mirrors.
        "java.util.HashMap$Node, GENERIC_JDK",
        "java.util.HashMap$Node[], GENERIC_JDK",
        "java.util.concurrent.ConcurrentHashMap$Node, GENERIC_JDK",
        "java.util.ArrayList, GENERIC_JDK",
        "java.util.LinkedHashMap$Entry, GENERIC_JDK",
        "java.util.Collections$UnmodifiableRandomAccessList, GENERIC_JDK",
        "java.util.ImmutableCollections$ListN, GENERIC_JDK",
        "java.util.concurrent.CopyOnWriteArrayList, GENERIC_JDK",
        "java.lang.ref.WeakReference, GENERIC_JDK",
        "java.lang.Class, GENERIC_JDK",
        // Strings, boxes, Object, and arrays of primitives or of those.
        "java.lang.String, ELEMENTARY",
        "java.lang.Long, ELEMENTARY",
        "java.lang.Object, ELEMENTARY",
        "byte[], ELEMENTARY",
        "int[][], ELEMENTARY",
        "java.lang.Object[], ELEMENTARY",
        "java.lang.String[], ELEMENTARY",
    })
    void ranksNamesByWhatTheyTellAPerson(String className, Tier expected) {
        assertEquals(expected, ClassSpecificity.tierOf(className));
    }

    @Test
    void theTiersAreOrderedFromTheBytesToTheCodeThatHoldsThem() {
        List<String> names = new ArrayList<>(List.of(
                "byte[]",
                "java.lang.String",
                "java.util.HashMap$Node",
                "com.acme.Session[]",
                "java.util.logging.LogManager$LogNode",
                "com.acme.Session"));
        names.sort(ClassSpecificity.MOST_SPECIFIC_FIRST);
        assertEquals(
                List.of(
                        "com.acme.Session",
                        "com.acme.Session[]",
                        "java.util.logging.LogManager$LogNode",
                        "java.util.HashMap$Node",
                        "java.lang.String",
                        "byte[]"),
                names,
                "a class before arrays of it within a tier; growth breaks the remaining ties");
    }

    @Test
    void applicationTypesIncludeTheirArrays() {
        assertTrue(ClassSpecificity.isApplicationType("com.acme.Session"));
        assertTrue(ClassSpecificity.isApplicationType("com.acme.Session[]"));
        assertFalse(ClassSpecificity.isApplicationType("java.lang.String"));
        assertFalse(ClassSpecificity.isApplicationType("java.util.logging.LogManager$LogNode"));
        assertFalse(ClassSpecificity.isApplicationType("byte[]"));
    }

    @ParameterizedTest
    @CsvSource({
        "java.net.URLClassLoader, true",
        "jdk.internal.loader.ClassLoaders$AppClassLoader, true",
        "jdk.internal.reflect.DelegatingClassLoader, true",
        "jdk.internal.loader.Loader, true",
        "org.apache.catalina.loader.ParallelWebappClassLoader, true",
        "dev.leakwatch.samples.leaks.ClassLoaderLeak$PluginClassLoader, true",
        "jdk.internal.loader.ClassLoaders, false",
        "jdk.internal.loader.ClassLoaderValue, false",
        "com.acme.ConfigLoader, false",
        "java.net.URLClassLoader[], false",
    })
    void classLoadersAreKnownByName(String className, boolean loader) {
        assertEquals(loader, ClassSpecificity.isClassLoaderByName(className));
    }
}

package dev.leakwatch.analyzer.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which member names a leak: the type a person can act on, not what every leak is made of. */
class ClassSpecificityTest {
    @ParameterizedTest
    @CsvSource({
        "com.acme.Session, 3",
        "com.acme.Session$Attributes, 3",
        "org.hibernate.engine.spi.EntityKey, 3",
        "Unpackaged, 3",
        "com.acme.Session[], 2",
        "com.acme.Session[][], 2",
        "java.lang.String, 1",
        "java.util.ArrayList, 1",
        "javax.management.ObjectName, 1",
        "java.util.HashMap$Node, 0",
        "java.util.concurrent.ConcurrentHashMap$Node, 0",
        "jdk.internal.ref.CleanerImpl$PhantomCleanableRef, 0",
        "sun.nio.ch.FileChannelImpl, 0",
        "com.sun.proxy.$Proxy12, 0",
        "byte[], 0",
        "int[][], 0",
        "java.lang.Object[], 0",
    })
    void ranksNamesByWhatTheyTellAPerson(String className, int expected) {
        assertEquals(expected, ClassSpecificity.of(className));
    }

    @Test
    void applicationTypesIncludeTheirArrays() {
        assertTrue(ClassSpecificity.isApplicationType("com.acme.Session"));
        assertTrue(ClassSpecificity.isApplicationType("com.acme.Session[]"));
        assertFalse(ClassSpecificity.isApplicationType("java.lang.String"));
        assertFalse(ClassSpecificity.isApplicationType("byte[]"));
    }
}

package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassScopeTest {

    @Test
    void defaultsInstrumentApplicationsLibrariesAndTheCuratedJdkClasses() {
        ClassScope scope = ClassScope.defaults();
        assertTrue(scope.includes("com.acme.Cache", false));
        assertTrue(scope.includes("com.fasterxml.jackson.databind.ObjectMapper", false));
        assertTrue(scope.includes("org.codehaus.groovy.runtime.InvokerHelper", false));
        assertTrue(scope.includes("javax.servlet.http.HttpServlet", false), "javax.* from the application");
        for (String jdk : ClassScope.JDK_CLASSES) {
            assertTrue(scope.includes(jdk, true), jdk);
        }
        assertFalse(scope.includes("java.util.HashMap$Node", true), "nested JDK classes are not on the list");
        assertFalse(scope.includes("java.lang.String", true));
        assertFalse(scope.includes("java.util.Vector", true));
        assertFalse(scope.includes("com.sun.crypto.provider.AESCrypt", true));
    }

    @Test
    void theNeverListWinsOverEverything() {
        ClassScope scope = ClassScope.of(List.of("*"), List.of());
        for (String never : List.of(
                "dev.leakwatch.agent.LeakwatchAgent",
                "dev.leakwatch.bootstrap.AllocationHook",
                "dev.leakwatch.shaded.net.bytebuddy.ByteBuddy",
                "java.lang.ref.Reference",
                "java.lang.Thread",
                "java.lang.ThreadLocal$ThreadLocalMap",
                "java.lang.invoke.MethodHandle",
                "jdk.internal.misc.Unsafe",
                "sun.misc.Unsafe",
                "net.bytebuddy.agent.builder.AgentBuilder")) {
            assertFalse(scope.includes(never, false), never);
            assertFalse(scope.includes(never, true), never);
        }
        assertFalse(scope.includes("com.acme.Foo$$Lambda$12", false), "lambda proxies");
        assertFalse(scope.includes("com.acme.Foo$$Lambda/0x0000000800c0b000", false), "hidden classes");
    }

    @Test
    void includeAndExcludePatterns() {
        ClassScope scope = ClassScope.of(
                List.of("com.acme.*", "org/example/Cache", "java.util.*"),
                List.of("com.acme.generated.", "*Test", "com.acme.Secret"));
        assertTrue(scope.includes("com.acme.Cache", false));
        assertTrue(scope.includes("com.acme.sub.Deep$Inner", false));
        assertTrue(scope.includes("org.example.Cache", false));
        assertTrue(scope.includes("org.example.Cache$Entry", false), "a class name covers its nested classes");
        assertFalse(scope.includes("org.example.CacheLoader", false));
        assertFalse(scope.includes("org.other.Thing", false), "not included");
        assertFalse(scope.includes("com.acme.generated.Proto", false), "excluded package");
        assertFalse(scope.includes("com.acme.CacheTest", false), "excluded glob");
        assertFalse(scope.includes("com.acme.Secret$Key", false), "excluded class with its nested classes");
        assertTrue(scope.includes("java.util.HashMap", true), "JDK list, included");
        assertFalse(scope.includes("java.lang.StringLatin1", true), "JDK list, but not included");
        assertFalse(scope.includes("java.util.Vector", true), "included, but never a JDK class off the list");
        assertTrue(ClassScope.of(List.of(), List.of("java.util.Arrays")).includes("java.util.ArrayList", true));
        assertFalse(ClassScope.of(List.of(), List.of("java.util.Arrays")).includes("java.util.Arrays", true));
        assertTrue(ClassScope.of(List.of("com.acme.Ca?he"), List.of()).includes("com.acme.Cache", false));
    }

    @Test
    void badPatternsAreRejectedWithAMessage() {
        for (String bad : List.of("", " ", "com.acme.[a-z]", "com acme", "com.acme.*;drop")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ClassScope.of(List.of(bad), List.of()), bad);
            assertTrue(e.getMessage().contains("class pattern"), e.getMessage());
        }
    }
}

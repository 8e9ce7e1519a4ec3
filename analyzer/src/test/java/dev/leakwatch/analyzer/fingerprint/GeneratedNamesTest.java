package dev.leakwatch.analyzer.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What differs between two runs or two builds of the same code is taken out of names; what names the code stays. */
class GeneratedNamesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // lambda proxy classes: Java 17 numbers them, Java 21+ hides them behind an address
                "com.acme.Handler$$Lambda$123/0x0000000800c0b000 | com.acme.Handler$$Lambda",
                "com.acme.Handler$$Lambda$7/0x00000008000d1840   | com.acme.Handler$$Lambda",
                "com.acme.Handler$$Lambda/0x000071e6d8001a00     | com.acme.Handler$$Lambda",
                // other hidden classes
                "java.lang.invoke.LambdaForm$MH/0x0000000800c0c400 | java.lang.invoke.LambdaForm$MH",
                // reflection accessors
                "jdk.internal.reflect.GeneratedMethodAccessor7  | jdk.internal.reflect.GeneratedMethodAccessor",
                "jdk.internal.reflect.GeneratedConstructorAccessor12 | jdk.internal.reflect.GeneratedConstructorAccessor",
                "sun.reflect.GeneratedSerializationConstructorAccessor3"
                        + " | sun.reflect.GeneratedSerializationConstructorAccessor",
                // proxies, with Java 16+'s numbered packages
                "com.sun.proxy.$Proxy12     | com.sun.proxy.$Proxy",
                "jdk.proxy2.$Proxy31        | jdk.proxy.$Proxy",
                // code generators' subclasses
                "com.acme.Repo$$EnhancerBySpringCGLIB$$1a2b3c4d | com.acme.Repo$$EnhancerBySpringCGLIB",
                "com.acme.Repo$$SpringCGLIB$$0              | com.acme.Repo$$SpringCGLIB",
                "com.acme.Order$HibernateProxy$Xy7Qa1       | com.acme.Order$HibernateProxy",
                "com.acme.Service$ByteBuddy$abc123          | com.acme.Service$ByteBuddy",
                // Groovy scripts and closures
                "Script12                    | Script",
                "Script12$_run_closure3      | Script$_run_closure",
                // nothing generated: unchanged
                "com.acme.Cache$Entry        | com.acme.Cache$Entry",
                "com.acme.Script2Handler     | com.acme.Script2Handler",
                "byte[]                      | byte[]",
                "com.acme.Outer$1            | com.acme.Outer$1",
            })
    void aClassNameLosesItsGeneratedNumbers(String name, String expected) {
        assertEquals(expected, GeneratedNames.className(name));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "com.acme.Cache.put(Cache.java:42)                  | com.acme.Cache.put",
                "com.acme.Cache.put(Cache.java:57)                  | com.acme.Cache.put",
                "com.acme.Cache.put(Unknown Source)                 | com.acme.Cache.put",
                "com.acme.Handler.lambda$handle$3(Handler.java:12)  | com.acme.Handler.lambda$handle",
                "com.acme.Handler.lambda$static$0(Handler.java:9)   | com.acme.Handler.lambda$static",
                "com.acme.Outer.access$000(Outer.java:1)            | com.acme.Outer.access$",
                "com.acme.Handler$$Lambda$14/0x0000000801001234.run(Unknown Source) | com.acme.Handler$$Lambda.run",
            })
    void aFrameLosesItsLineAndGeneratedNumbers(String frame, String expected) {
        assertEquals(expected, GeneratedNames.frame(frame));
    }

    /** Names this JVM generates itself, not written down: two of each kind normalise to one name. */
    @Test
    void theNamesThisJvmGeneratesLoseTheirNumbers() {
        Runnable first = () -> {};
        Runnable second = () -> {};
        String lambda = first.getClass().getName();
        assertNotEquals(lambda, second.getClass().getName());
        assertEquals(
                GeneratedNames.className(lambda),
                GeneratedNames.className(second.getClass().getName()));
        assertEquals(GeneratedNamesTest.class.getName() + "$$Lambda", GeneratedNames.className(lambda), lambda);

        Object proxy = java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, a) -> null);
        Object otherProxy = java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Comparable.class}, (p, m, a) -> 0);
        assertNotEquals(proxy.getClass().getName(), otherProxy.getClass().getName());
        assertEquals(
                GeneratedNames.className(proxy.getClass().getName()),
                GeneratedNames.className(otherProxy.getClass().getName()));
    }

    /** Groovy numbers the scripts it compiles without a name, and their closures, in the order it meets them. */
    @Test
    void groovyScriptsAndClosuresAsGroovyNamesThem() {
        groovy.lang.GroovyShell shell = new groovy.lang.GroovyShell();
        groovy.lang.Script first = shell.parse("def f = { it }; f");
        groovy.lang.Script second = shell.parse("def g = { it * 2 }; g");
        assertNotEquals(first.getClass().getName(), second.getClass().getName());
        assertEquals("Script", GeneratedNames.className(first.getClass().getName()));
        assertEquals("Script", GeneratedNames.className(second.getClass().getName()));
        String closure = first.run().getClass().getName();
        String otherClosure = second.run().getClass().getName();
        assertNotEquals(closure, otherClosure);
        assertEquals(GeneratedNames.className(closure), GeneratedNames.className(otherClosure), closure);
    }

    @Test
    void differentCodeStaysApart() {
        assertNotEquals(
                GeneratedNames.className("com.acme.A$$Lambda$1"), GeneratedNames.className("com.acme.B$$Lambda$1"));
        assertNotEquals(
                GeneratedNames.className("com.acme.A$$Lambda$1"), GeneratedNames.className("com.acme.A$Proxy1"));
        assertNotEquals(
                GeneratedNames.frame("com.acme.A.put(A.java:1)"), GeneratedNames.frame("com.acme.A.get(A.java:1)"));
        assertNotEquals(
                GeneratedNames.frame("com.acme.A.lambda$put$0(A.java:1)"),
                GeneratedNames.frame("com.acme.A.lambda$get$0(A.java:1)"));
    }
}

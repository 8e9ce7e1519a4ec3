package dev.leakwatch.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.tracking.SampledStack;
import dev.leakwatch.format.model.ClassCount;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Method IDs resolved into frames as {@link StackWalker} would show them, once per method and generation. */
class JvmMethodsTest {
    private final Map<Long, String[]> methods = new HashMap<>();
    private final Map<Long, int[]> lines = new HashMap<>();
    private final AtomicInteger describeCalls = new AtomicInteger();
    private final JvmMethods resolver = new JvmMethods(
            id -> {
                describeCalls.incrementAndGet();
                return methods.get(id);
            },
            lines::get);

    @Test
    void signaturesReadAsClassNames() {
        assertEquals("java.util.HashMap", JvmMethods.className("Ljava/util/HashMap;"));
        assertEquals("com.acme.Outer$Inner", JvmMethods.className("Lcom/acme/Outer$Inner;"));
        assertEquals(
                "com.acme.Foo$$Lambda/0x0000000800c03000",
                JvmMethods.className("Lcom/acme/Foo$$Lambda.0x0000000800c03000;"));
        assertTrue(JvmMethods.isHiddenClassSignature("Lcom/acme/Foo$$Lambda.0x0000000800c03000;"));
        assertTrue(JvmMethods.isHiddenClassSignature("Ljava/lang/invoke/LambdaForm$MH/0x0000000800c0c000;"));
        assertFalse(JvmMethods.isHiddenClassSignature("Ljava/util/HashMap;"));
    }

    @Test
    void framesStackWalkerHidesAreHidden() {
        assertTrue(HiddenFrames.isHidden("com.acme.Foo$$Lambda$14/0x0000000800c03000", "get", true));
        assertTrue(HiddenFrames.isHidden("com.acme.Foo$$Lambda$14", "get", false));
        assertTrue(HiddenFrames.isHidden("java.lang.invoke.LambdaForm$MH", "invoke", false));
        assertTrue(HiddenFrames.isHidden("java.lang.invoke.DirectMethodHandle$Holder", "invokeStatic", false));
        assertTrue(HiddenFrames.isHidden("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke", false));
        assertTrue(HiddenFrames.isHidden("jdk.internal.reflect.GeneratedMethodAccessor12", "invoke", false));
        assertTrue(HiddenFrames.isHidden("java.lang.reflect.Method", "invoke", false));
        assertTrue(HiddenFrames.isHidden("java.lang.reflect.Constructor", "newInstanceWithCaller", false));

        assertFalse(HiddenFrames.isHidden("java.lang.reflect.Array", "newInstance", false));
        assertFalse(HiddenFrames.isHidden("java.lang.invoke.MethodHandles$Lookup", "findStatic", false));
        assertFalse(HiddenFrames.isHidden("java.util.HashMap", "resize", false));
        assertFalse(HiddenFrames.isHidden("com.acme.Cache", "lambda$put$0", false));
    }

    @Test
    void aStackKeepsTheVisibleFramesWithTheirLines() {
        methods.put(1L, new String[] {"Ljava/util/HashMap;", "resize", "HashMap.java"});
        lines.put(1L, new int[] {0, 670, 12, 675, 40, 690});
        methods.put(2L, new String[] {"Lcom/acme/Cache$$Lambda.0x0000000800c03000;", "apply", null});
        methods.put(3L, new String[] {"Lcom/acme/Cache;", "put", "Cache.java"});
        lines.put(3L, new int[] {8, 42, 0, 41}); // JVMTI gives no order
        methods.put(4L, new String[] {"Lcom/acme/Native;", "load", "Native.java"});

        SampledStack stack =
                resolver.stack(new long[] {9, 9, 1, 2, 3, 4, 5}, new int[] {0, 0, 20, 3, 9, -1, 0}, 2, 5, 24);

        assertEquals(3, stack.depth(), "the lambda proxy's frame and the unloaded method's are dropped");
        assertEquals("java.util.HashMap.resize(HashMap.java:675)", stack.describe(0));
        assertEquals("java.util.HashMap", stack.className(0));
        assertEquals("resize", stack.methodName(0));
        assertEquals(20, stack.bytecodeIndex(0));
        assertEquals("com.acme.Cache.put(Cache.java:42)", stack.describe(1));
        assertEquals("com.acme.Native.load(Native Method)", stack.describe(2));
    }

    @Test
    void aStackIsCutAtTheDepthAskedFor() {
        methods.put(1L, new String[] {"Lcom/acme/A;", "a", null});
        SampledStack stack = resolver.stack(new long[] {1, 1, 1, 1}, new int[] {0, 1, 2, 3}, 0, 4, 2);
        assertEquals(2, stack.depth());
        assertEquals("com.acme.A.a(Unknown Source)", stack.describe(1));
    }

    @Test
    void methodsAreResolvedOncePerGenerationAndForgottenWhenUnused() {
        methods.put(1L, new String[] {"Lcom/acme/A;", "a", "A.java"});
        methods.put(2L, new String[] {"Lcom/acme/B;", "b", "B.java"});
        resolver.stack(new long[] {1, 2}, new int[] {0, 0}, 0, 2, 24);
        resolver.stack(new long[] {1, 2}, new int[] {0, 0}, 0, 2, 24);
        assertEquals(2, describeCalls.get(), "each method resolved once");

        resolver.age();
        resolver.stack(new long[] {1}, new int[] {0}, 0, 1, 24); // only A used in this generation
        resolver.age();
        assertEquals(1, resolver.cached(), "B, unused for a whole generation, is forgotten");
        resolver.stack(new long[] {1, 2}, new int[] {0, 0}, 0, 2, 24);
        assertEquals(3, describeCalls.get(), "A still cached, B resolved again");
    }

    /**
     * Plugin classes loaded and unloaded 100 times a second filled the cache with methods of classes long gone, and
     * the agent's own strings read as a leak in a 60-minute soak: the cache names its objects, and they go with
     * the generations that held them.
     */
    @Test
    void theCacheNamesWhatItHoldsAndItShrinksBackWithItsGenerations() {
        for (long id = 1; id <= 100; id++) {
            methods.put(id, new String[] {"Lcom/acme/Plugin" + id + ";", "run", "Plugin.java"});
            lines.put(id, new int[] {0, 10, 4, 11});
            resolver.stack(new long[] {id}, new int[] {0}, 0, 1, 8);
        }
        assertTrue(resolver.footprint().isEmpty(), "measured when aged, as the snapshot's histogram saw it");

        resolver.age();

        Map<String, ClassCount> rows = new HashMap<>();
        resolver.footprint().forEach(row -> rows.put(row.className(), row));
        assertEquals(100, rows.get("java.util.HashMap$Node").instances());
        assertEquals(100, rows.get("java.lang.Long").instances());
        assertEquals(300, rows.get("java.lang.String").instances(), "class, method and source file names");
        assertEquals(300, rows.get("byte[]").instances());
        assertTrue(rows.get("byte[]").bytes() >= 100 * (16 + "com.acme.Plugin1".length()), rows::toString);
        assertEquals(100, rows.get("int[]").instances());
        assertEquals(100 * 32, rows.get("int[]").bytes(), "16-byte header and four ints each");

        resolver.stack(new long[] {1}, new int[] {0}, 0, 1, 8); // used again: carried into the new generation
        resolver.age();
        Map<String, ClassCount> carried = rows(resolver);
        assertEquals(101, carried.get("java.lang.Long").instances(), "100 keys in the older map, 1 in the newer");
        assertEquals(
                100,
                carried.get("dev.leakwatch.agent.sampling.JvmMethod").instances(),
                "a method held by both generations is one object");
        assertEquals(300, carried.get("java.lang.String").instances());
        resolver.age();
        assertEquals(1, rows(resolver).get("java.lang.Long").instances(), "only the method used again is left");
        resolver.age();
        assertTrue(resolver.footprint().isEmpty(), "unused for two generations: forgotten, and no longer counted");
    }

    private static Map<String, ClassCount> rows(JvmMethods methods) {
        Map<String, ClassCount> rows = new HashMap<>();
        methods.footprint().forEach(row -> rows.put(row.className(), row));
        return rows;
    }
}

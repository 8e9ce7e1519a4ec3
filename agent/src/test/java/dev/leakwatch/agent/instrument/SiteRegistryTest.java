package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SiteRegistryTest {

    @Test
    void aSiteKeepsItsIdAndIsLookedUpById() {
        SiteRegistry registry = new SiteRegistry();
        int put = registry.register(
                "com.acme.Cache", "Cache.java", "put", "(Ljava/lang/Object;)V", 42, "java.util.HashMap$Node");
        int sameAgain = registry.register(
                "com.acme.Cache", "Cache.java", "put", "(Ljava/lang/Object;)V", 42, "java.util.HashMap$Node");
        int otherType = registry.register("com.acme.Cache", "Cache.java", "put", "(Ljava/lang/Object;)V", 42, "byte[]");
        assertEquals(put, sameAgain, "retransformation and other class loaders get the same id");
        assertNotEquals(put, otherType);
        assertNotEquals(SiteRegistry.OVERFLOW_ID, put);
        HookedSite site = registry.site(put);
        assertEquals(
                new HookedSite(
                        put,
                        "com.acme.Cache",
                        "put",
                        "(Ljava/lang/Object;)V",
                        42,
                        "java.util.HashMap$Node",
                        "Cache.java"),
                site);
        assertEquals("com.acme.Cache.put(Cache.java:42)", site.frame());
        assertEquals("com.acme.Cache.put(Cache.java:42)", registry.frame(put));
        assertEquals("byte[]", registry.allocatedType(otherType));
        assertEquals(2, registry.size());
        assertNull(registry.site(12345));
        assertEquals("<site 12345>", registry.frame(12345));
    }

    @Test
    void framesFallBackToTheOutermostClassNameWithoutSourceFileOrLine() {
        assertEquals(
                "com.acme.Cache$Entry.<init>(Cache.java:7)",
                new HookedSite(1, "com.acme.Cache$Entry", "<init>", "()V", 7, "int[]").frame());
        assertEquals("Top.run(Top.java)", new HookedSite(1, "Top", "run", "()V", -1, "int[]").frame());
        assertEquals(
                "a.B$1.call(Generated.kt:3)",
                new HookedSite(1, "a.B$1", "call", "()V", 3, "int[]", "Generated.kt").frame());
    }

    @Test
    void aFullRegistryHandsOutTheOverflowIdAndCountsIt() {
        SiteRegistry registry = new SiteRegistry(2);
        int first = registry.register("A", null, "m", "()V", 1, "int[]");
        int second = registry.register("A", null, "m", "()V", 2, "int[]");
        int third = registry.register("A", null, "m", "()V", 3, "int[]");
        int fourth = registry.register("A", null, "m", "()V", 4, "int[]");
        assertEquals(List.of(1, 2), List.of(first, second));
        assertEquals(SiteRegistry.OVERFLOW_ID, third);
        assertEquals(SiteRegistry.OVERFLOW_ID, fourth);
        assertEquals(2, registry.overflowed());
        assertEquals(2, registry.size());
        assertEquals(first, registry.register("A", null, "m", "()V", 1, "int[]"), "known sites keep their id");
        assertEquals(registry.overflowSite(), registry.site(SiteRegistry.OVERFLOW_ID));
        assertThrows(IllegalArgumentException.class, () -> new SiteRegistry(0));
    }

    @Test
    void concurrentRegistrationsGetDistinctStableIds() throws InterruptedException {
        SiteRegistry registry = new SiteRegistry(100_000);
        int threads = 4;
        int sites = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        Set<String> conflicts = ConcurrentHashMap.newKeySet();
        List<int[]> idsPerThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int[] ids = new int[sites];
            idsPerThread.add(ids);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < sites; i++) {
                    ids[i] = registry.register("C", "C.java", "m", "()V", i, "int[]");
                    HookedSite site = registry.site(ids[i]);
                    if (site == null || site.line() != i) {
                        conflicts.add("site " + ids[i] + " for line " + i + ": " + site);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(Set.of(), conflicts);
        for (int[] ids : idsPerThread) {
            assertEquals(ids[0], idsPerThread.get(0)[0]);
            assertEquals(List.of(ids[sites - 1]), List.of(idsPerThread.get(0)[sites - 1]));
        }
        Set<Integer> distinct = new HashSet<>();
        for (int id : idsPerThread.get(0)) {
            distinct.add(id);
        }
        assertEquals(sites, distinct.size());
        assertEquals(sites, registry.size());
    }
}

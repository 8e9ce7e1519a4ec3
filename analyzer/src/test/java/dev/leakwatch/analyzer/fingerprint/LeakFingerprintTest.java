package dev.leakwatch.analyzer.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint names what leaks and where, never the process: two JVMs, a restart and a rebuild that renumbers
 * lambdas give one fingerprint; another class, another allocating method or another holding field give another.
 */
class LeakFingerprintTest {
    private static final String SESSION = "com.acme.SessionCache$Session";
    private static final String PUT = "com.acme.SessionCache.put(SessionCache.java:42)";

    @Test
    void isShortHexOfFixedLength() {
        String fingerprint = LeakFingerprint.of(SESSION, PUT, null);
        assertEquals(LeakFingerprint.LENGTH, fingerprint.length());
        assertTrue(fingerprint.matches("[0-9a-f]+"), fingerprint);
    }

    @Test
    void twoReplicasOfOneLeakAgreeWhateverTheirPidHeapAndFigures() {
        Suspect replicaA = suspect(SESSION, 1, 2_100_000, 4_000_000, "2026-12-01T10:00:00Z", PUT);
        Suspect replicaB = suspect(SESSION, 2, 350_000, 90_000_000, "2026-12-05T08:00:00Z", PUT);
        assertEquals(LeakFingerprint.of(replicaA, null), LeakFingerprint.of(replicaB, null));
    }

    @Test
    void aRebuildThatMovesLinesAndRenumbersLambdasKeepsIt() {
        String before = LeakFingerprint.of(
                "com.acme.Handler$$Lambda$123/0x0000000800c0b000",
                "com.acme.Handler.lambda$handle$3(Handler.java:12)",
                null);
        String after = LeakFingerprint.of(
                "com.acme.Handler$$Lambda$131/0x0000000801a2c000",
                "com.acme.Handler.lambda$handle$5(Handler.java:19)",
                null);
        assertEquals(before, after);
        assertEquals(
                LeakFingerprint.of("jdk.proxy2.$Proxy12", "com.acme.Beans.make(Beans.java:3)", null),
                LeakFingerprint.of("jdk.proxy3.$Proxy31", "com.acme.Beans.make(Beans.java:3)", null));
        assertEquals(
                LeakFingerprint.of("jdk.internal.reflect.GeneratedMethodAccessor7", null, null),
                LeakFingerprint.of("jdk.internal.reflect.GeneratedMethodAccessor41", null, null));
    }

    @Test
    void twoDifferentLeaksDiffer() {
        String session = LeakFingerprint.of(SESSION, PUT, null);
        assertNotEquals(session, LeakFingerprint.of("com.acme.Listener", PUT, null), "another class");
        assertNotEquals(
                session,
                LeakFingerprint.of(SESSION, "com.acme.Other.remember(Other.java:42)", null),
                "allocated in another method");
        assertNotEquals(session, LeakFingerprint.of(SESSION, null, null), "no allocation site known");
    }

    /** Retention chains are not computed yet: the holding field is an input of its own, tried with a made-up one. */
    @Test
    void theHoldingFieldOfARetentionChainIsPartOfIt() {
        String unheld = LeakFingerprint.of(SESSION, PUT, null);
        String byCache = LeakFingerprint.of(SESSION, PUT, "com.acme.SessionCache.sessions");
        String byRegistry = LeakFingerprint.of(SESSION, PUT, "com.acme.Registry.all");
        assertNotEquals(unheld, byCache);
        assertNotEquals(byCache, byRegistry);
        assertEquals(byCache, LeakFingerprint.of(SESSION, PUT, "com.acme.SessionCache.sessions"));
        assertEquals(
                LeakFingerprint.of(SESSION, PUT, "com.acme.Handler$$Lambda$12/0x0000000800c0b000.arg$1"),
                LeakFingerprint.of(SESSION, PUT, "com.acme.Handler$$Lambda$40/0x0000000800d00000.arg$1"));
        // The separator keeps inputs apart: a class and a frame cannot trade characters and collide.
        assertNotEquals(LeakFingerprint.of("a", "b", null), LeakFingerprint.of("ab", null, null));
    }

    @Test
    void theSuspectsTopSiteGivesTheApplicationFrameNotTheJdkAllocation() {
        Suspect suspect = suspect(SESSION, 1, 1, 1, "2026-12-01T10:00:00Z", PUT);
        assertEquals(PUT, LeakFingerprint.applicationFrame(suspect));
        assertEquals(LeakFingerprint.of(SESSION, PUT, null), LeakFingerprint.of(suspect, null));
    }

    @Test
    void aJvmFindingIsNamedByItsKind() {
        GaugeFinding threads = new GaugeFinding("threads", 0.9, 12, 92, "threads", "a", "b");
        GaugeFinding moreThreads = new GaugeFinding("threads", 0.6, 3, 1000, "threads", "c", "d");
        GaugeFinding classes = new GaugeFinding("class-loading", 0.9, 12, 92, "classes", "a", "b");
        assertEquals(LeakFingerprint.of(threads), LeakFingerprint.of(moreThreads));
        assertNotEquals(LeakFingerprint.of(threads), LeakFingerprint.of(classes));
    }

    private static Suspect suspect(
            String className, int rank, double growth, long liveBytes, String firstSeen, String applicationFrame) {
        AllocationSite site = new AllocationSite(
                List.of("java.util.HashMap.newNode(HashMap.java:1901)", applicationFrame),
                className,
                List.of(className),
                1,
                1.0,
                growth,
                liveBytes,
                10,
                3,
                30,
                1,
                1);
        return new Suspect(
                rank,
                className,
                0.95,
                Severity.HIGH,
                growth,
                100,
                liveBytes,
                1000,
                firstSeen,
                "s",
                "e",
                new Suspect.Evidence(20, 2, 5, 1e-6, 0.9, growth, 40),
                List.of(),
                List.of(site));
    }
}

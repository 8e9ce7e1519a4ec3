package dev.leakwatch.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * One MBean per current suspect, named by fingerprint and class, updated in place, gone when the suspect goes, and
 * never an exception into the host when the MBean server refuses.
 */
class SuspectBeansTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final SuspectBeans beans = new SuspectBeans(() -> server, log);

    @Test
    void eachSuspectIsABeanUntilItGoesAway() throws Exception {
        beans.update(report(suspect("com.acme.Session", "aaaaaaaaaaaa", 1000), suspect("byte[]", "bbbbbbbbbbbb", 10)));
        ObjectName session =
                new ObjectName("dev.leakwatch:type=Suspect,fingerprint=aaaaaaaaaaaa,class=com.acme.Session");
        ObjectName bytes = new ObjectName("dev.leakwatch:type=Suspect,fingerprint=bbbbbbbbbbbb,class=byte[]");
        assertEquals(Set.of(session, bytes), server.queryNames(new ObjectName("dev.leakwatch:type=Suspect,*"), null));
        assertEquals("com.acme.Session", server.getAttribute(session, "ClassName"));
        assertEquals(1000.0, server.getAttribute(session, "GrowthBytesPerMinute"));
        assertEquals(0.95, server.getAttribute(session, "Confidence"));
        assertEquals(
                "com.acme.Cache.put(Cache.java:3): com.acme.Session",
                server.getAttribute(session, "TopAllocationSite"));

        beans.update(report(suspect("com.acme.Session", "aaaaaaaaaaaa", 2500)));
        assertEquals(2500.0, server.getAttribute(session, "GrowthBytesPerMinute"), "updated in place");
        assertFalse(server.isRegistered(bytes), "no longer a suspect");

        beans.clear();
        assertTrue(server.queryNames(new ObjectName("dev.leakwatch:*"), null).isEmpty());
        assertEquals(0, log.suppressedErrors());
    }

    @Test
    void aClassNameWithCharactersAnObjectNameReservesIsQuoted() throws Exception {
        ObjectName name = SuspectBeans.objectName("cccccccccccc", "com.acme.Odd,Name=1");
        assertEquals("\"com.acme.Odd,Name=1\"", name.getKeyProperty("class"));
        assertEquals("cccccccccccc", name.getKeyProperty("fingerprint"));
        assertEquals(
                "com.acme.Handler$$Lambda/0x0000000800c0b000",
                SuspectBeans.objectName("c", "com.acme.Handler$$Lambda/0x0000000800c0b000")
                        .getKeyProperty("class"));
    }

    @Test
    void aRefusingServerCostsOneLineAndNoException() throws Exception {
        MBeanServer refusing = (MBeanServer) Proxy.newProxyInstance(
                MBeanServer.class.getClassLoader(), new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    throw new SecurityException("registration refused");
                });
        SuspectBeans broken = new SuspectBeans(() -> refusing, log);
        broken.update(report(suspect("com.acme.Session", "aaaaaaaaaaaa", 1000)));
        broken.update(report(suspect("com.acme.Session", "aaaaaaaaaaaa", 1000)));
        broken.clear();
        String line = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("registration refused"), line);
        assertEquals(1, log.suppressedErrors());
    }

    @Test
    void theAgentBeansNumbersForADashboard() {
        LeakReport report = report(suspect("a.A", "aaaaaaaaaaaa", 1000), suspect("b.B", "bbbbbbbbbbbb", 3000));
        assertEquals(ReportMetrics.LEAK_SUSPECTED, ReportMetrics.verdictCode(report));
        assertEquals(ReportMetrics.NOT_ENOUGH_DATA, ReportMetrics.verdictCode(null));
        assertEquals(3000.0, ReportMetrics.worstGrowthBytesPerMinute(report));
        assertEquals(0.0, ReportMetrics.worstGrowthBytesPerMinute(null));
        assertEquals(42.5, ReportMetrics.minutesToHeapExhaustion(report));
        assertTrue(Double.isNaN(ReportMetrics.minutesToHeapExhaustion(null)));
    }

    private static Suspect suspect(String className, String fingerprint, double growth) {
        AllocationSite site = new AllocationSite(
                List.of("com.acme.Cache.put(Cache.java:3)"),
                className,
                List.of(className),
                1,
                1,
                growth,
                1,
                1,
                2,
                10,
                0,
                0);
        return new Suspect(
                        1,
                        className,
                        0.95,
                        Severity.HIGH,
                        growth,
                        10,
                        5000,
                        50,
                        "2026-12-01T10:00:00Z",
                        "s",
                        "e",
                        null,
                        List.of(),
                        List.of(site))
                .withFingerprint(fingerprint);
    }

    private static LeakReport report(Suspect... suspects) {
        return new LeakReport(
                LeakReport.SCHEMA_VERSION,
                "2026-12-01T10:10:00Z",
                "test",
                Verdict.LEAK_SUSPECTED,
                "s",
                List.of(suspects),
                List.of(),
                List.of(),
                new HeapSummary("live-histogram", 10, 5, 100, 1, 1, true, 42.5, null, "grows"),
                null,
                null,
                List.of());
    }
}

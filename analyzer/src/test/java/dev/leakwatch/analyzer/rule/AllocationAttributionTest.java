package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linearFrom;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which allocation paths a suspect's sites are made of, and in what order. The scenario is issue 13's: the suspect's
 * leading class is small and rarely sampled, and its one path is churn (sessions that live 15 s: a few live samples,
 * all from the newest epoch); most of the growth sits in three paths through one application method.
 */
class AllocationAttributionTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration LENGTH = Duration.ofMinutes(20);
    private static final double END_SECONDS = LENGTH.toSeconds();

    private static final String SESSION = "com.acme.Session";
    private static final String NODE = "java.util.HashMap$Node";
    private static final String STRING = "java.lang.String";
    private static final String BYTES = "byte[]";
    private static final Set<String> GROUP = Set.of(SESSION, NODE, STRING, BYTES);

    private static final String AUDIT_METHOD = "com.acme.audit.AuditLog.record";
    private static final String INDEX_METHOD = "com.acme.search.Index.add";
    private static final String CHURN_FRAME = "com.acme.web.Handler.newSession(Handler.java:30)";
    private static final String BODY_FRAME = "com.acme.web.Handler.readBody(Handler.java:58)";

    /** Retained since 10 minutes before the recording: the oldest sample ages with it, one epoch per snapshot. */
    private static SyntheticRecording retainedPath(
            SyntheticRecording recording, String type, List<String> frames, int firstApp, double samplesPerMinute) {
        return recording.withPath(
                type,
                frames,
                firstApp,
                linear(20, samplesPerMinute),
                64 * KB,
                linear(20, 60.0 / INTERVAL.toSeconds()),
                linear(600, 60));
    }

    /** The histogram of the leak (sessions with their strings, map entries and payloads) and the tracked paths. */
    private static SyntheticRecording issue13() {
        SyntheticRecording recording = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withObjects(SESSION, 40, linear(5_000, 1_500))
                .withObjects(NODE, 32, linear(20_000, 1_500))
                .withObjects(STRING, 24, linear(60_000, 1_500).plus(noise(200, 3)))
                .withClass(BYTES, linear(20 * MB, 600 * KB).plus(noise(20 * KB, 5)), linear(80_000, 1_500));
        // The churned path of the leader: in the last 4 snapshots only, 1 to 4 live samples from the newest epoch,
        // the oldest 14 s old. Its estimated bytes rise fastest of all paths over those 4 points.
        recording.withPath(
                SESSION,
                List.of(CHURN_FRAME, "com.acme.web.Handler.handle(Handler.java:12)"),
                0,
                linearFrom(0, 2, END_SECONDS - 4 * INTERVAL.toSeconds() - 1),
                200 * KB,
                constant(1),
                constant(14));
        // Request bodies: in every snapshot, from two epochs, but never older than 20 s: churn that straddles
        // snapshots.
        recording.withPath(
                BYTES,
                List.of(BODY_FRAME, "com.acme.web.Handler.handle(Handler.java:10)"),
                0,
                linear(3, 0.2).plus(noise(1.4, 11)),
                64 * KB,
                constant(2),
                constant(20));
        // The leak: three paths through AuditLog.record, 66% of the tracked growth, at different lines.
        retainedPath(
                recording,
                BYTES,
                List.of(
                        "java.lang.StringConcatHelper.newArray(StringConcatHelper.java:497)",
                        "com.acme.audit.AuditLog.record(AuditLog.java:50)",
                        "com.acme.web.Handler.handle(Handler.java:14)"),
                1,
                6);
        retainedPath(
                recording,
                STRING,
                List.of(
                        "java.lang.StringConcatHelper.newString(StringConcatHelper.java:356)",
                        "com.acme.audit.AuditLog.record(AuditLog.java:50)",
                        "com.acme.web.Handler.handle(Handler.java:14)"),
                1,
                4);
        retainedPath(
                recording,
                NODE,
                List.of(
                        "java.util.HashMap.newNode(HashMap.java:1901)",
                        "java.util.HashMap.putVal(HashMap.java:629)",
                        "java.util.HashMap.put(HashMap.java:610)",
                        "com.acme.audit.AuditLog.record(AuditLog.java:53)",
                        "com.acme.web.Handler.handle(Handler.java:14)"),
                3,
                2);
        // A second, smaller leak elsewhere.
        retainedPath(
                recording,
                BYTES,
                List.of("com.acme.search.Index.add(Index.java:88)", "com.acme.web.Handler.handle(Handler.java:20)"),
                0,
                1);
        return recording;
    }

    @Test
    void theFirstSiteIsTheMethodThatRetainsNotTheLeadersChurnedPath() {
        LeakReport report = issue13().analyze();
        Suspect suspect = report.suspects().stream()
                .filter(s -> s.className().equals(SESSION))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no suspect " + SESSION + ": " + report.suspects()));
        List<AllocationSite> sites = suspect.allocationSites();
        assertEquals(2, sites.size(), sites::toString);

        AllocationSite first = sites.get(0);
        assertTrue(first.keyFrame().startsWith(AUDIT_METHOD + "("), first::toString);
        assertEquals(3, first.paths(), first::toString);
        assertEquals(List.of(BYTES, STRING, NODE), first.allocatedTypes(), "types by growth, largest first");
        assertEquals(BYTES, first.allocatedType(), "the stack shown is the byte[] path's");
        assertEquals(12.0 / 13, first.share(), 0.01, "6 + 4 + 2 of 13 retained samples a minute, all 64 KB each");
        assertTrue(sites.get(1).keyFrame().startsWith(INDEX_METHOD + "("), sites::toString);

        String text = new TextReportWriter().render(report);
        assertFalse(text.contains("Handler.newSession"), "the churned path is no site:\n" + text);
        assertFalse(text.contains("Handler.readBody"), "nor are the request bodies:\n" + text);
        assertTrue(
                text.contains(
                        "    allocated at (byte[], java.lang.String, java.util.HashMap$Node in 3 paths, 92% of the"
                                + " tracked growth,"),
                text);
        assertTrue(
                text.contains("        at com.acme.audit.AuditLog.record(AuditLog.java:50)   <- application code\n"));
        assertTrue(text.contains("    also 8% at com.acme.search.Index.add(Index.java:88): byte[]\n"), text);
    }

    @Test
    void allocatingTheLeaderEarnsAChurnedPathNoPlace() {
        // The churned path and a retained one, both of the leader's type: only the retained one is a site.
        SyntheticRecording recording = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withObjects(SESSION, 40, linear(5_000, 1_500))
                .withPath(
                        SESSION,
                        List.of(CHURN_FRAME),
                        0,
                        linearFrom(0, 2, END_SECONDS - 4 * INTERVAL.toSeconds() - 1),
                        200 * KB,
                        constant(1),
                        constant(14));
        retainedPath(recording, SESSION, List.of("com.acme.audit.AuditLog.record(AuditLog.java:49)"), 0, 1);
        List<AllocationSite> sites = sitesOf(recording, Set.of(SESSION));
        assertEquals(1, sites.size(), sites::toString);
        assertTrue(sites.get(0).keyFrame().startsWith(AUDIT_METHOD + "("), sites::toString);
        assertEquals(1.0, sites.get(0).share());
    }

    @Test
    void aPathWhoseSamplesComeFromOneEpochIsNoLeakSite() {
        // Growing, seen in every snapshot, old enough: but no sample ever outlived a snapshot.
        SyntheticRecording recording = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withPath(BYTES, List.of(BODY_FRAME), 0, linear(5, 3), 64 * KB, constant(1), linear(600, 60));
        assertEquals(List.of(), sitesOf(recording, GROUP));
    }

    @Test
    void aPathSeenInOneSnapshotIsNoLeakSite() {
        SyntheticRecording recording = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withPath(
                        BYTES,
                        List.of(BODY_FRAME),
                        0,
                        linearFrom(0, 200, END_SECONDS - 1),
                        64 * KB,
                        constant(5),
                        constant(600));
        assertEquals(List.of(), sitesOf(recording, GROUP));
    }

    @Test
    void aPathWhoseOldestSampleStaysYoungIsChurnHoweverManyEpochsItSpans() {
        // A session cache whose entries live 2 minutes: many epochs at 30 s snapshots, rising samples, but the oldest
        // never older than 2 minutes while the path is watched for 20.
        SyntheticRecording recording = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withPath(BYTES, List.of(BODY_FRAME), 0, linear(5, 1), 64 * KB, constant(4), constant(120));
        assertEquals(List.of(), sitesOf(recording, GROUP));
        // The same path whose oldest sample ages with the recording is retained.
        SyntheticRecording retained = SyntheticRecording.create()
                .every(INTERVAL)
                .lasting(LENGTH)
                .withPath(BYTES, List.of(BODY_FRAME), 0, linear(5, 1), 64 * KB, constant(4), linear(60, 60));
        assertEquals(1, sitesOf(retained, GROUP).size());
    }

    @Test
    void aPathThroughLeakwatchsOwnCodeIsNoSite() {
        SyntheticRecording recording =
                SyntheticRecording.create().every(INTERVAL).lasting(LENGTH);
        retainedPath(
                recording,
                "java.util.HashMap$Node[]",
                List.of(
                        "java.util.HashMap.resize(HashMap.java:702)",
                        "java.util.HashSet.add(HashSet.java:221)",
                        "dev.leakwatch.agent.instrument.ScopedTransformer.rememberChanged(ScopedTransformer.java:139)",
                        "java.lang.ClassLoader.defineClass(ClassLoader.java:879)",
                        "com.acme.plugins.PluginLoader.load(PluginLoader.java:31)"),
                2,
                5);
        retainedPath(recording, BYTES, List.of("com.acme.plugins.PluginLoader.load(PluginLoader.java:30)"), 0, 1);
        List<AllocationSite> sites = sitesOf(recording, Set.of(BYTES, "java.util.HashMap$Node[]"));
        assertEquals(1, sites.size(), sites::toString);
        assertEquals(List.of(BYTES), sites.get(0).allocatedTypes());
        assertEquals(1.0, sites.get(0).share(), "the agent's own growth is no part of the application's");
    }

    @Test
    void theLeakingTypesOwnMethodsNameNoSiteTheirCallerDoes() {
        String loader = "com.acme.plugins.PluginLoader$Loader";
        String load = "com.acme.plugins.PluginLoader.load(PluginLoader.java:31)";
        SyntheticRecording recording =
                SyntheticRecording.create().every(INTERVAL).lasting(LENGTH);
        retainedPath(
                recording,
                "java.util.concurrent.ConcurrentHashMap$Node[]",
                List.of(
                        "java.util.concurrent.ConcurrentHashMap.initTable(ConcurrentHashMap.java:2301)",
                        "java.lang.ClassLoader.defineClass(ClassLoader.java:879)",
                        loader + ".loadClass(PluginLoader.java:98)",
                        "java.lang.ClassLoader.loadClass(ClassLoader.java:525)",
                        "java.lang.Class.forName(Class.java:467)",
                        load,
                        "com.acme.web.Handler.handle(Handler.java:12)"),
                2,
                5);
        retainedPath(
                recording,
                STRING,
                List.of(
                        "java.lang.ClassLoader.<init>(ClassLoader.java:389)",
                        loader + ".<init>(PluginLoader.java:86)",
                        "com.acme.plugins.PluginLoader.load(PluginLoader.java:30)"),
                1,
                2);
        List<AllocationSite> sites =
                sitesOf(recording, Set.of(loader, STRING, "java.util.concurrent.ConcurrentHashMap$Node[]"));
        assertEquals(1, sites.size(), () -> "one site, the method that makes the loaders: " + sites);
        assertEquals(load, sites.get(0).keyFrame(), "the site with the most growth names its caller's line");
        assertEquals(1.0, sites.get(0).share());
        assertEquals(2, sites.get(0).allocatedTypes().size(), sites::toString);
    }

    @Test
    void aLeakingTypesOwnMethodWithNoApplicationCallerStaysTheSite() {
        String loader = "com.acme.plugins.PluginLoader$Loader";
        SyntheticRecording recording =
                SyntheticRecording.create().every(INTERVAL).lasting(LENGTH);
        retainedPath(
                recording,
                STRING,
                List.of(
                        "java.lang.ClassLoader.<init>(ClassLoader.java:389)",
                        loader + ".<init>(PluginLoader.java:86)",
                        "java.lang.Thread.run(Thread.java:833)"),
                1,
                2);
        List<AllocationSite> sites = sitesOf(recording, Set.of(loader, STRING));
        assertEquals(1, sites.size(), sites::toString);
        assertEquals(loader + ".<init>(PluginLoader.java:86)", sites.get(0).keyFrame());
    }

    private static List<AllocationSite> sitesOf(SyntheticRecording recording, Set<String> classes) {
        AnalysisWindow window = new AnalysisWindow(recording.table(), 0);
        return AllocationAttribution.sitesFor(window, SESSION, classes);
    }
}

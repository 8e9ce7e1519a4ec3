package dev.leakwatch.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The stacks recorded: the hook's frames skipped, the test's frame present, JDK and library frames marked. */
class PathFramesTest {
    private static final String TEST_CLASS = PathFramesTest.class.getName();
    private static final TrackingSettings SETTINGS = Trackers.settings()
            .withHookFramePrefixes(List.of("dev.leakwatch.bootstrap.", TEST_CLASS + "$FakeHook"))
            .withLibraryPrefixes(List.of(TEST_CLASS + "$FakeLibrary"));

    private final AllocationTracker tracker = Trackers.tracker(SETTINGS);
    private final FakeHook hook = new FakeHook(tracker);

    @Test
    void firstApplicationFrameIsTheTestMethodBehindALibrary() {
        Object pooled = new FakeLibrary(hook).borrow();

        SiteRetention path = tracker.snapshot(1, 10).paths().get(0);

        List<String> frames = path.frames();
        assertTrue(frames.get(0).startsWith(TEST_CLASS + "$FakeLibrary.newEntry(PathFramesTest.java:"), frames.get(0));
        assertTrue(frames.get(1).startsWith(TEST_CLASS + "$FakeLibrary.borrow(PathFramesTest.java:"), frames.get(1));
        String testFrame = TEST_CLASS + ".firstApplicationFrameIsTheTestMethodBehindALibrary(PathFramesTest.java:";
        assertTrue(frames.get(2).startsWith(testFrame), frames.toString());
        assertEquals(0, path.firstNonJdkFrame());
        assertEquals(2, path.firstApplicationFrame());
        assertEquals(Object.class.getName(), path.allocatedType());
        assertEquals(TrackingSettings.DEFAULT_STACK_DEPTH, frames.size(), "JUnit's frames fill the rest");
        Reference.reachabilityFence(pooled);
    }

    /**
     * The cached frame texts follow recent samples, not the whole history: a frame no sample used for two snapshots
     * is dropped from the cache (the path that uses it keeps its own reference), so the agent's strings do not grow in
     * the host's histograms as new stacks turn up.
     */
    @Test
    void framesNotUsedForTwoSnapshotsLeaveTheCache() {
        Object first = new FakeLibrary(hook).borrow();
        tracker.snapshot(1, 10);
        int cached = tracker.cachedFrames();
        assertTrue(cached >= TrackingSettings.DEFAULT_STACK_DEPTH, "every frame of the first path: " + cached);
        Object second = new FakeLibrary(hook).borrow();
        tracker.snapshot(1, 10);
        assertEquals(cached, tracker.cachedFrames(), "used again since: kept");
        tracker.snapshot(1, 10);
        assertEquals(0, tracker.cachedFrames(), "no sample used them since the snapshot before");
        List<String> frames = tracker.snapshot(1, 10).paths().get(0).frames();
        assertEquals(TrackingSettings.DEFAULT_STACK_DEPTH, frames.size(), "the live path keeps its frames");
        Reference.reachabilityFence(first);
        Reference.reachabilityFence(second);
    }

    @Test
    void jdkFramesBeforeTheFirstNonJdkFrame() {
        Object wrapped = new FakeLibrary(hook).wrap(new int[3]);

        SiteRetention path = tracker.snapshot(1, 10).paths().get(0);

        List<String> frames = path.frames();
        assertTrue(frames.get(0).startsWith("java.util.Optional.map(Optional.java:"), frames.get(0));
        assertTrue(frames.get(1).startsWith(TEST_CLASS + "$FakeLibrary.wrap("), frames.get(1));
        assertTrue(frames.get(2).startsWith(TEST_CLASS + ".jdkFramesBeforeTheFirstNonJdkFrame("), frames.get(2));
        assertEquals(1, path.firstNonJdkFrame());
        assertEquals(2, path.firstApplicationFrame());
        assertEquals("int[]", path.allocatedType());
        Reference.reachabilityFence(wrapped);
    }

    @Test
    void stackDepthIsConfigurable() {
        AllocationTracker shallow = Trackers.tracker(SETTINGS.withStackDepth(2));
        Object pooled = new FakeLibrary(new FakeHook(shallow)).borrow();

        SiteRetention path = shallow.snapshot(1, 10).paths().get(0);

        assertEquals(2, path.frames().size(), path.frames().toString());
        assertEquals(0, path.firstNonJdkFrame());
        assertEquals(-1, path.firstApplicationFrame(), "the application's frame is beyond the recorded depth");
        Reference.reachabilityFence(pooled);
    }

    @Test
    void byDefaultTheAgentsOwnFramesAreSkipped() {
        AllocationTracker defaults = new AllocationTracker(object -> 16, SiteNames.Unavailable.INSTANCE);
        Object object = new Object();
        defaults.record(object, 1);

        SiteRetention path = defaults.snapshot(1, 10).paths().get(0);

        assertFalse(path.frames().isEmpty());
        assertTrue(
                path.frames().stream().noneMatch(frame -> frame.startsWith("dev.leakwatch.agent.")),
                path.frames().toString());
        Reference.reachabilityFence(object);
    }

    @Test
    void aStackOfHookFramesOnlyFallsBackToTheSiteFrame() {
        SiteNames names = new SiteNames() {
            @Override
            public String allocatedType(int siteId) {
                return "com.acme.Widget";
            }

            @Override
            public String frame(int siteId) {
                return "com.acme.Factory.make(Factory.java:" + siteId + ")";
            }
        };
        AllocationTracker everythingIsHook =
                new AllocationTracker(object -> 16, names, Trackers.settings().withHookFramePrefixes(List.of("")));
        Object object = new Object();
        everythingIsHook.record(object, 42);

        SiteRetention path = everythingIsHook.snapshot(1, 10).paths().get(0);

        assertEquals(List.of("com.acme.Factory.make(Factory.java:42)"), path.frames());
        assertEquals(Object.class.getName(), path.allocatedType(), "the type recorded is the object's");
        assertEquals(0, path.firstApplicationFrame());
        Reference.reachabilityFence(object);
    }

    @Test
    void classOfAFrame() {
        assertEquals("com.acme.Cache", FrameClassifier.classOfFrame("com.acme.Cache.put(Cache.java:42)"));
        assertEquals("com.acme.Cache$Entry", FrameClassifier.classOfFrame("com.acme.Cache$Entry.<init>(Cache.java)"));
        assertEquals("<site 3>", FrameClassifier.classOfFrame("<site 3>"));
    }

    @Test
    void classifiesJdkLibraryAndApplicationClasses() {
        FrameClassifier classifier = new FrameClassifier(TrackingSettings.KNOWN_LIBRARY_PREFIXES);
        String[] stack = {
            "java.util.HashMap",
            "org.slf4j.Logger",
            "ch.qos.logback.core.Appender",
            "com.acme.Service",
            "org.springframework.Proxy"
        };

        assertEquals(1, classifier.firstNonJdk(stack));
        assertEquals(3, classifier.firstApplication(stack));
        assertEquals(-1, classifier.firstNonJdk(new String[] {"jdk.internal.Foo", "sun.misc.Unsafe", "javax.Foo"}));
        assertEquals(-1, classifier.firstApplication(new String[] {"org.w3c.dom.Node", "com.google.common.Foo"}));
    }

    /** Plays the bootstrap hook: its frames are configured as the hook's. */
    static final class FakeHook implements Function<Object, Object> {
        private final AllocationTracker tracker;

        FakeHook(AllocationTracker tracker) {
            this.tracker = tracker;
        }

        @Override
        public Object apply(Object allocated) {
            tracker.record(allocated, 7);
            return allocated;
        }
    }

    /** Plays an object pool from a third-party library: its frames are configured as a library's. */
    static final class FakeLibrary {
        private final FakeHook hook;

        FakeLibrary(FakeHook hook) {
            this.hook = hook;
        }

        Object borrow() {
            return newEntry();
        }

        /** Passes through a JDK frame, as an allocation inside a JDK collection would. */
        Object wrap(Object value) {
            return Optional.of(value).map(hook).orElseThrow();
        }

        private Object newEntry() {
            return hook.apply(new Object());
        }
    }
}

package dev.leakwatch.agent.holders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.holders.RetentionSearch.FoundChain;
import dev.leakwatch.agent.holders.RetentionSearch.SearchOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native heap walk in this very JVM (the library is built into target/classes by the Maven build): the chain from
 * a static map to its values is found and named field by field; a walk cut at its budget says so; objects nothing
 * holds give no chain and no error; the agent's own objects are never on a chain.
 *
 * <p>The agent's packages are given per test: this test's own package is the agent's, so each test names the part
 * that plays the agent ({@link AgentSide}).
 */
@EnabledOnOs(OS.LINUX)
class RetentionSearchTest {
    private static final List<String> AGENT = List.of(AgentSide.class.getName());
    private static final Map<String, Held> HELD_BY_MAP = new HashMap<>();
    private static final List<Shared> SHARED = new ArrayList<>();

    @TempDir
    Path scratch;

    @Test
    void findsTheStaticMapThatHoldsInstances() throws Exception {
        HELD_BY_MAP.clear();
        for (int i = 0; i < 200; i++) {
            HELD_BY_MAP.put("key-" + i, new Held(i));
        }
        SearchOutcome outcome = search(RetentionSearch.Limits.defaults(Duration.ofSeconds(10)), Held.class);
        assertNull(outcome.failure());
        assertNull(outcome.cut());
        assertEquals(64, outcome.liveTargets(), "the walk starts from at most maxTargets objects");
        assertEquals(1, outcome.chains().size(), () -> "buckets' linked nodes read as one chain: " + outcome);
        FoundChain top = outcome.chains().get(0);
        assertEquals("static-field", top.rootKind());
        assertEquals(RetentionSearchTest.class.getName(), top.root());
        assertEquals(
                List.of(
                        RetentionSearchTest.class.getName() + ".HELD_BY_MAP",
                        "java.util.HashMap.table",
                        "[]",
                        "java.util.HashMap$Node.value"),
                top.elements());
        assertEquals(64, top.objects());
        assertEquals("java.util.HashMap", top.containers().get(0).className());
        assertEquals(200, top.containers().get(0).sizeAtWalk());
        assertTrue(outcome.passes() >= 3 && outcome.longestPauseMillis() >= 0, outcome::toString);
    }

    @Test
    void aWalkCutAtItsBudgetSaysSo() throws Exception {
        HELD_BY_MAP.clear();
        for (int i = 0; i < 50; i++) {
            HELD_BY_MAP.put("key-" + i, new Held(i));
        }
        RetentionSearch.Limits tiny =
                new RetentionSearch.Limits(40, 1_000, 32, 24, Duration.ofSeconds(10), Duration.ofSeconds(60), 3);
        SearchOutcome outcome = search(tiny, Held.class);
        assertNull(outcome.failure());
        assertTrue(
                outcome.cut() != null && outcome.cut().startsWith("the walk was cut at its budget of 40 objects"),
                outcome::toString);
    }

    @Test
    void objectsNothingHoldsGiveNoChainAndNoError() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            new Orphan(i).touch(); // garbage at once: the walk only meets what is reachable
        }
        SearchOutcome outcome = search(RetentionSearch.Limits.defaults(Duration.ofSeconds(10)), Orphan.class);
        assertNull(outcome.failure());
        assertNull(outcome.cut());
        assertEquals(List.of(), outcome.chains());
        assertEquals(0, outcome.liveTargets());
    }

    @Test
    void theAgentsOwnObjectsAreNeverOnAChain() throws Exception {
        AgentSide.held.clear();
        for (int i = 0; i < 100; i++) {
            Shared shared = new Shared();
            AgentSide.held.add(shared); // held by the agent only
            if (i % 2 == 0) {
                SHARED.add(shared); // and by the application: only that chain may show
            }
        }
        SearchOutcome outcome = search(RetentionSearch.Limits.defaults(Duration.ofSeconds(10)), Shared.class);
        assertNull(outcome.failure());
        assertFalse(outcome.chains().isEmpty(), outcome::toString);
        for (FoundChain chain : outcome.chains()) {
            assertFalse(chain.root().startsWith(AgentSide.class.getName()), chain::toString);
            assertEquals(
                    RetentionSearchTest.class.getName() + ".SHARED",
                    chain.elements().get(0),
                    chain::toString);
        }
        assertEquals(50, outcome.chains().stream().mapToInt(FoundChain::objects).sum());
    }

    @Test
    void aStoppedRecordingSearchesNoMore() throws Exception {
        RetentionSearch search = new RetentionSearch(scratch, RetentionSearch.Limits.defaults(Duration.ofSeconds(10)));
        search.cancel();
        SearchOutcome outcome = search.search(List.of(Held.class), List.of(), AGENT, true);
        assertEquals("not searched: the recording stopped", outcome.failure());
        assertEquals(0, outcome.passes());
    }

    private SearchOutcome search(RetentionSearch.Limits limits, Class<?> type) throws Exception {
        return new RetentionSearch(scratch, limits)
                .search(List.of(type), List.of(AgentSide.class, Thread.currentThread()), AGENT, true);
    }

    static final class Held {
        final int id;
        final List<Object> payload = new ArrayList<>();

        Held(int id) {
            this.id = id;
        }
    }

    static final class Orphan {
        final int id;

        Orphan(int id) {
            this.id = id;
        }

        void touch() {
            // nothing: the object is made and dropped
        }
    }

    static final class Shared {}

    /** Plays the agent: its static list is the agent's own, excluded from every chain. */
    static final class AgentSide {
        static final List<Shared> held = new ArrayList<>();
    }
}

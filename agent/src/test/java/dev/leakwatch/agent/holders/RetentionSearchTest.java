package dev.leakwatch.agent.holders;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The native heap walk in this very JVM (the library is built into target/classes by the Maven build): the chain
 * from a static map to its values is found and named field by field.
 */
@EnabledOnOs(OS.LINUX)
class RetentionSearchTest {
    private static final Map<String, Held> HELD_BY_MAP = new HashMap<>();

    @Test
    void findsTheStaticMapThatHoldsInstances(@TempDir Path scratch) throws Exception {
        for (int i = 0; i < 200; i++) {
            HELD_BY_MAP.put("key-" + i, new Held(i));
        }
        RetentionSearch search = new RetentionSearch(scratch, RetentionSearch.Limits.defaults(Duration.ofSeconds(10)));
        SearchOutcome outcome =
                search.search(List.of(Held.class), List.of(), List.of("dev.leakwatch.agent.sampling."), true);
        System.out.println(outcome);
        assertNull(outcome.failure());
        assertNull(outcome.cut());
        FoundChain top = outcome.chains().get(0);
        assertEquals("static-field", top.rootKind());
        assertEquals(RetentionSearchTest.class.getName(), top.root());
        assertEquals(
                List.of(
                        RetentionSearchTest.class.getName() + ".HELD_BY_MAP",
                        "java.util.HashMap.table",
                        "[]",
                        "java.util.HashMap$Node.value"),
                top.elements().subList(0, 4));
        assertTrue(top.objects() > 1, () -> "objects: " + top.objects());
    }

    static final class Held {
        final int id;
        final List<Object> payload = new ArrayList<>();

        Held(int id) {
            this.id = id;
        }
    }
}

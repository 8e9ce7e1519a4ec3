package dev.leakwatch.agent.holders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The search over a walk's recorded references, without a heap: shortest paths from roots, left-out references. */
class ReferenceGraphTest {
    private static final int FIELD = HeapWalk.KIND_FIELD;

    /**
     * 1 static holder -> 2 -> 3 -> 5 (target), and 1 -> 4 -> 5: the shorter way is taken; once 4 -> 5 is left out (a
     * weak referent, say), the longer one. Node 6 is a target nothing roots.
     */
    @Test
    void theShortestPathFromARootIsTakenAndALeftOutReferenceAvoided() {
        int[] flags = {
            HeapWalk.STATIC_HOLDER,
            HeapWalk.EXPANDABLE,
            HeapWalk.EXPANDABLE,
            HeapWalk.EXPANDABLE,
            HeapWalk.TARGET | HeapWalk.EXPANDABLE | HeapWalk.SEEN,
            HeapWalk.TARGET | HeapWalk.EXPANDABLE | HeapWalk.SEEN
        };
        int[] from = {1, 2, 3, 1, 4};
        int[] to = {2, 3, 5, 4, 5};
        ReferenceGraph graph = graph(flags, from, to);

        List<int[]> paths = graph.shortestPaths();
        assertEquals(1, paths.size(), "node 6 has no root");
        assertArrayEquals(new int[] {3, 4}, paths.get(0));
        assertEquals(2, graph.seenTargets());

        graph.leaveOut(4);
        assertArrayEquals(new int[] {0, 1, 2}, graph.shortestPaths().get(0));
    }

    /** The JDK's logger tree: leaked nodes hang under the root node, itself an instance of the suspect class. */
    @Test
    void aPathMayPassThroughAnotherTarget() {
        int[] flags = {
            HeapWalk.ROOT,
            HeapWalk.TARGET | HeapWalk.EXPANDABLE,
            HeapWalk.EXPANDABLE,
            HeapWalk.TARGET | HeapWalk.EXPANDABLE
        };
        ReferenceGraph graph = graph(flags, new int[] {1, 2, 3}, new int[] {2, 3, 4});
        List<int[]> paths = graph.shortestPaths();
        assertEquals(2, paths.size());
        assertArrayEquals(new int[] {0}, paths.get(0));
        assertArrayEquals(new int[] {0, 1, 2}, paths.get(1));
    }

    private static ReferenceGraph graph(int[] flags, int[] from, int[] to) {
        int[] kinds = new int[from.length];
        java.util.Arrays.fill(kinds, FIELD);
        return new ReferenceGraph(
                flags,
                flags.length,
                from,
                to,
                kinds,
                new int[from.length],
                from.length,
                new int[flags.length],
                new long[flags.length]);
    }
}

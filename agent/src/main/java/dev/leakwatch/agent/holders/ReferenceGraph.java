package dev.leakwatch.agent.holders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The references a walk recorded between tagged objects, as a graph: the shortest path from any root to each
 * target, by a breadth-first search from all roots at once. Edges can be left out (a weak referent found on a path),
 * and the search run again.
 *
 * <p>Node ids start at 1, as the walk's tags do; edge ids index the edge arrays.
 */
final class ReferenceGraph {
    private final int[] flags;
    private final int[] edgeFrom;
    private final int[] edgeTo;
    private final int[] edgeKind;
    private final int[] edgeIndex;
    private final int edgeCount;
    private final int[] rootKinds;
    private final long[] rootMethods;
    /** Outgoing edges per node, compressed: edges of node n are {@code outEdges[outStart[n]..outStart[n+1])}. */
    private final int[] outStart;

    private final int[] outEdges;
    private final boolean[] leftOut;

    /**
     * @param flags       each node's flags ({@link HeapWalk#TARGET}...), node 1 first
     * @param rootKinds   each node's JVMTI root kind, for a {@link HeapWalk#ROOT}
     * @param rootMethods each node's frame method, for a stack or JNI local root
     */
    ReferenceGraph(
            int[] flags,
            int nodeCount,
            int[] edgeFrom,
            int[] edgeTo,
            int[] edgeKind,
            int[] edgeIndex,
            int edgeCount,
            int[] rootKinds,
            long[] rootMethods) {
        this.flags = new int[nodeCount + 1]; // ids from 1
        System.arraycopy(flags, 0, this.flags, 1, nodeCount);
        this.rootKinds = new int[nodeCount + 1];
        System.arraycopy(rootKinds, 0, this.rootKinds, 1, nodeCount);
        this.rootMethods = new long[nodeCount + 1];
        System.arraycopy(rootMethods, 0, this.rootMethods, 1, nodeCount);
        this.edgeFrom = edgeFrom;
        this.edgeTo = edgeTo;
        this.edgeKind = edgeKind;
        this.edgeIndex = edgeIndex;
        this.edgeCount = edgeCount;
        this.leftOut = new boolean[edgeCount];
        outStart = new int[nodeCount + 2];
        for (int e = 0; e < edgeCount; e++) {
            outStart[edgeFrom[e] + 1]++;
        }
        for (int n = 1; n < outStart.length; n++) {
            outStart[n] += outStart[n - 1];
        }
        outEdges = new int[edgeCount];
        int[] next = Arrays.copyOf(outStart, outStart.length);
        for (int e = 0; e < edgeCount; e++) {
            outEdges[next[edgeFrom[e]]++] = e;
        }
    }

    int nodeCount() {
        return flags.length - 1;
    }

    int flags(int node) {
        return flags[node];
    }

    int from(int edge) {
        return edgeFrom[edge];
    }

    int to(int edge) {
        return edgeTo[edge];
    }

    int kind(int edge) {
        return edgeKind[edge];
    }

    /** The field's JVMTI index, or the array slot. */
    int index(int edge) {
        return edgeIndex[edge];
    }

    int rootKind(int node) {
        return rootKinds[node];
    }

    long rootMethod(int node) {
        return rootMethods[node];
    }

    boolean isRoot(int node) {
        return (flags[node] & (HeapWalk.ROOT | HeapWalk.STATIC_HOLDER)) != 0;
    }

    boolean isTarget(int node) {
        return (flags[node] & HeapWalk.TARGET) != 0;
    }

    /** Leaves an edge out of the searches from now on. */
    void leaveOut(int edge) {
        leftOut[edge] = true;
    }

    /** Targets some pass met: alive and reachable when it ran. */
    int seenTargets() {
        int seen = 0;
        for (int n = 1; n < flags.length; n++) {
            if (isTarget(n) && (flags[n] & HeapWalk.SEEN) != 0) {
                seen++;
            }
        }
        return seen;
    }

    /**
     * For each target with a path from a root, that path as edge ids from the root down to the target, shortest
     * first in number of references; targets without one are left out.
     */
    List<int[]> shortestPaths() {
        int nodes = nodeCount();
        int[] parentEdge = new int[nodes + 1];
        Arrays.fill(parentEdge, -2); // unreached
        int[] queue = new int[nodes];
        int head = 0;
        int tail = 0;
        for (int n = 1; n <= nodes; n++) {
            if (isRoot(n)) {
                parentEdge[n] = -1;
                queue[tail++] = n;
            }
        }
        while (head < tail) {
            // Targets are passed through: the JDK's logger tree holds its leaked nodes under its own root node.
            int node = queue[head++];
            for (int i = outStart[node]; i < outStart[node + 1]; i++) {
                int edge = outEdges[i];
                int to = edgeTo[edge];
                if (!leftOut[edge] && parentEdge[to] == -2) {
                    parentEdge[to] = edge;
                    queue[tail++] = to;
                }
            }
        }
        List<int[]> paths = new ArrayList<>();
        for (int i = 0; i < tail; i++) {
            int node = queue[i]; // breadth-first order: shortest paths first
            if (!isTarget(node) || parentEdge[node] < 0) {
                continue;
            }
            int length = 0;
            for (int n = node; parentEdge[n] >= 0; n = edgeFrom[parentEdge[n]]) {
                length++;
            }
            int[] path = new int[length];
            for (int n = node, k = length - 1; parentEdge[n] >= 0; n = edgeFrom[parentEdge[n]], k--) {
                path[k] = parentEdge[n];
            }
            paths.add(path);
        }
        return paths;
    }

    /** How many edges there are, left out or not. */
    int edgeCount() {
        return edgeCount;
    }
}

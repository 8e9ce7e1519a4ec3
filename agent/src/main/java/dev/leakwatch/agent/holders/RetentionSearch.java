package dev.leakwatch.agent.holders;

import dev.leakwatch.agent.sampling.SamplerUnavailableException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One search for who holds a suspect's objects: the native walk's passes ({@link HeapWalk}) under their limits, then
 * the shortest chains from the references it recorded ({@link ReferenceGraph}), named ({@link ChainNames}) and grouped
 * by chain.
 *
 * <p><b>Limits.</b> Each pass is one pause of the application (a JVMTI heap walk runs at a safepoint); between passes
 * the application runs for as long as the pass paused it. The search stops as soon as nine in ten of the targets a pass
 * met are held by a chain ({@link #heldEnough}), or a pass tags nothing new; it is cut (and says so) at its node or edge budget, after
 * {@code maxPasses}, once it has run {@code maxTime}, or when a pass paused longer than {@code maxPause} (unless asked
 * for by a person).
 */
public final class RetentionSearch {
    /** At most one walk at a time in the JVM: the native tables are global. */
    private static final Object WALKING = new Object();

    /** The most objects newly tagged for which the next passes are filtered by class: each is a tag to look up. */
    static final int FRONTIER_OBJECTS = 256;
    /** The most classes among them: one filtered pass each, cheaper than one pass over every class up to about 2. */
    static final int FRONTIER_CLASSES = 2;

    private final Path scratch;
    private final Limits limits;
    private final LongSupplier nanoTime;
    /** Set when the recording stops: a search in progress ends after its current pass. */
    private volatile boolean cancelled;

    /**
     * @param maxNodes   objects the walk may tag (targets and their ancestors), about 24 bytes each natively plus the
     *                   JVM's tag map entry
     * @param maxEdges   references it may record, 16 bytes each plus 16 for the table that keeps each once
     * @param maxTargets the suspect's objects it starts from
     * @param maxPasses  heap walks at most
     * @param maxPause   the longest pause one pass may take, unless asked for by a person
     * @param maxTime    the longest the whole search may take, pauses and the gaps between them
     * @param maxChains  chains kept per suspect, those holding most objects first
     */
    public record Limits(
            int maxNodes,
            int maxEdges,
            int maxTargets,
            int maxPasses,
            Duration maxPause,
            Duration maxTime,
            int maxChains) {
        public static Limits defaults(Duration maxPause) {
            // Three minutes: half of it the application running between passes; a 2 GB heap takes about 7 passes of
            // a few seconds each on a loaded 2-core machine (docs/measurements.md, "Retention chains").
            return new Limits(100_000, 400_000, 64, 24, maxPause, Duration.ofMinutes(3), 3);
        }

        /** What the walk's tables take natively, at most. */
        public long nativeBytes() {
            long keySlots = Long.highestOneBit(Math.max(1, (long) maxEdges * 2 - 1)) << 1;
            return (long) maxNodes * 24 + (long) maxEdges * 16 + keySlots * 8;
        }
    }

    public RetentionSearch(Path scratch, Limits limits) {
        this(scratch, limits, System::nanoTime);
    }

    RetentionSearch(Path scratch, Limits limits, LongSupplier nanoTime) {
        this.scratch = Objects.requireNonNull(scratch, "scratch");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.nanoTime = nanoTime;
    }

    /** Ends a search in progress after its current pass, and refuses new ones: the recording stops. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Loads the walk's native half, if it can run here.
     *
     * @throws SamplerUnavailableException with the reason, in one line
     */
    public void ensureAvailable() throws SamplerUnavailableException {
        HeapWalk.ensureAvailable(scratch);
    }

    /**
     * Searches the chains that hold instances of the classes given (those named as the suspect, in any loader). Never
     * throws for what the heap holds: the outcome says what happened.
     *
     * @param classes  the suspect's classes
     * @param excluded the agent's own classes and threads: no chain passes through them
     * @param agentPackages the agent's own packages ({@link AgentPackages#OWN}): no chain passes through their objects
     * @param onRequest whether a person asked for it, so that a pass longer than {@code maxPause} does not cut it
     */
    public SearchOutcome search(
            List<Class<?>> classes, List<Object> excluded, List<String> agentPackages, boolean onRequest)
            throws SamplerUnavailableException {
        ensureAvailable();
        if (cancelled) {
            return SearchOutcome.failed("not searched: the recording stopped");
        }
        synchronized (WALKING) {
            try {
                return walk(classes, excluded, agentPackages, onRequest);
            } finally {
                HeapWalk.end0();
            }
        }
    }

    private SearchOutcome walk(
            List<Class<?>> classes, List<Object> excluded, List<String> agentPackages, boolean onRequest) {
        long start = nanoTime.getAsLong();
        boolean loaders = false;
        for (Class<?> type : classes) {
            loaders |= ClassLoader.class.isAssignableFrom(type);
        }
        int status = HeapWalk.begin0(
                new Object[0],
                classes.toArray(new Class<?>[0]),
                excluded.toArray(),
                limits.maxNodes(),
                limits.maxEdges(),
                limits.maxTargets(),
                loaders);
        if (status != 0) {
            return SearchOutcome.failed("the heap walk could not start: " + HeapWalk.describe(status));
        }
        WalkTables tables = new WalkTables();
        Stats stats = new Stats();
        String cut = null;
        ReferenceGraph graph = null;
        List<Class<?>> frontier = null; // the classes of the objects tagged last; null: every class
        while (true) {
            int before = tables.nodes;
            int tagged = 0;
            long pause = 0;
            for (Class<?> only : frontier == null ? Collections.<Class<?>>singletonList(null) : frontier) {
                if (pause > 0) {
                    LockSupport.parkNanos(pause); // the application runs as long as the pass paused it
                }
                long passStart = nanoTime.getAsLong();
                int found = HeapWalk.pass0(only);
                pause = nanoTime.getAsLong() - passStart;
                stats.pass(pause);
                if (found < 0) {
                    return SearchOutcome.failed("a heap walk pass failed: " + HeapWalk.describe(found));
                }
                tagged += found;
            }
            graph = tables.read();
            stats.size(tables);
            if (tables.budgetHit()) {
                cut = String.format(
                        "the walk was cut at its budget of %,d objects and %,d references after %d passes",
                        limits.maxNodes(), limits.maxEdges(), stats.passes);
                break;
            }
            int seen = graph.seenTargets();
            if (seen == 0 || tagged == 0 || heldEnough(graph.shortestPaths().size(), seen)) {
                break; // nothing alive to hold, nothing more to find, or (nearly) everything held
            }
            if (cancelled) {
                cut = "the walk was stopped with the recording after " + stats.passes + " passes";
                break;
            }
            if (stats.passes >= limits.maxPasses()) {
                cut = "the walk was cut after " + stats.passes + " passes";
                break;
            }
            if (!onRequest && pause > limits.maxPause().toNanos()) {
                cut = String.format(
                        "the walk was cut: a pass paused the JVM %d ms, longer than maxPause (%d ms)",
                        pause / 1_000_000, limits.maxPause().toMillis());
                break;
            }
            if (nanoTime.getAsLong() - start + pause * 2 > limits.maxTime().toNanos()) {
                cut = "the walk was cut at its time limit of "
                        + limits.maxTime().toSeconds() + " s after " + stats.passes + " passes";
                break;
            }
            frontier = frontierClasses(tables, before);
            LockSupport.parkNanos(pause); // the application runs as long as the pass paused it
        }
        List<FoundChain> chains = new ChainNames(graph, agentPackages).chains(limits.maxChains());
        return new SearchOutcome(
                chains,
                cut,
                null,
                stats.passes,
                stats.longestPauseNanos / 1_000_000,
                stats.totalPauseNanos / 1_000_000,
                (nanoTime.getAsLong() - start) / 1_000_000,
                stats.nodes,
                stats.edges,
                graph.seenTargets());
    }

    /**
     * The classes of the objects the last passes tagged, whose referrers the next passes look for: a pass that reports
     * only references to one class's instances (JVMTI's class filter) skips the tag lookups of every other reference,
     * about half a pass's cost (docs/measurements.md, "Retention chains"). In a leak each level of a chain is mostly
     * one class (the entries, then their table, then the map). Null, for a pass over every class, when the last passes
     * tagged more than {@link #FRONTIER_OBJECTS} objects or more than {@link #FRONTIER_CLASSES} classes.
     */
    private static List<Class<?>> frontierClasses(WalkTables tables, int before) {
        List<Integer> ids = new ArrayList<>();
        for (int node = before + 1; node <= tables.nodes; node++) {
            int flags = tables.flags[node - 1];
            if ((flags & HeapWalk.EXPANDABLE) != 0 && (flags & HeapWalk.ROOT) == 0) {
                ids.add(node);
                if (ids.size() > FRONTIER_OBJECTS) {
                    return null;
                }
            }
        }
        int[] wanted = new int[ids.size()];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = ids.get(i);
        }
        Object[] objects = HeapWalk.objects0(wanted);
        if (objects == null) {
            return null;
        }
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Object object : objects) {
            if (object != null) {
                classes.add(object.getClass());
            }
        }
        return classes.isEmpty() || classes.size() > FRONTIER_CLASSES ? null : new ArrayList<>(classes);
    }

    /**
     * Whether enough of the targets the walk met are held by a chain to stop: nine in ten. The last few are those a
     * level deeper (a hash bucket's second node), each costing one more pass, a pause, for the same chain.
     */
    static boolean heldEnough(int held, int seen) {
        return held * 10L >= seen * 9L;
    }

    /** What one search found, and what it cost. */
    public record SearchOutcome(
            List<FoundChain> chains,
            String cut,
            String failure,
            int passes,
            long longestPauseMillis,
            long totalPauseMillis,
            long elapsedMillis,
            int nodes,
            int edges,
            int liveTargets) {
        static SearchOutcome failed(String why) {
            return new SearchOutcome(List.of(), null, why, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /**
     * A chain found, with the containers on it to watch for growth.
     *
     * @param elements   the chain's references, root first
     * @param containers the collections and arrays it passes through, root first
     */
    public record FoundChain(
            String rootKind, String root, List<String> elements, List<Container> containers, int objects) {}

    /**
     * A collection or array on a chain, held weakly: the agent watches its size, never keeps it alive.
     *
     * @param chainIndex the chain element through which it is held
     * @param collection a collection or map of the JDK's, whose size it asks; otherwise an array whose non-null slots
     *                   it counts
     */
    public record Container(
            WeakReference<Object> object, String className, int chainIndex, boolean collection, int sizeAtWalk) {}

    private static final class Stats {
        int passes;
        long longestPauseNanos;
        long totalPauseNanos;
        int nodes;
        int edges;

        void pass(long pauseNanos) {
            passes++;
            longestPauseNanos = Math.max(longestPauseNanos, pauseNanos);
            totalPauseNanos += pauseNanos;
        }

        void size(WalkTables tables) {
            nodes = tables.nodes;
            edges = tables.edges;
        }
    }

    /**
     * The walk's tables read into Java arrays, grown to what the walk holds (a few hundred entries for most leaks, at
     * most the limits: 9 MB at the defaults) and reused across passes.
     */
    private static final class WalkTables {
        final long[] state = new long[5];
        int[] flags = new int[0];
        int[] rootKinds = new int[0];
        long[] rootMethods = new long[0];
        long[] rootThreads = new long[0];
        int[] from = new int[0];
        int[] to = new int[0];
        int[] kinds = new int[0];
        int[] indexes = new int[0];
        int nodes;
        int edges;

        ReferenceGraph read() {
            HeapWalk.state0(state);
            int nodeCount = (int) state[0];
            int edgeCount = (int) state[1];
            if (flags.length < nodeCount) {
                int size = Math.max(nodeCount, flags.length * 2);
                flags = new int[size];
                rootKinds = new int[size];
                rootMethods = new long[size];
                rootThreads = new long[size];
            }
            if (from.length < edgeCount) {
                int size = Math.max(edgeCount, from.length * 2);
                from = new int[size];
                to = new int[size];
                kinds = new int[size];
                indexes = new int[size];
            }
            nodes = Math.max(0, HeapWalk.nodes0(flags, rootKinds, rootMethods, rootThreads));
            edges = Math.max(0, HeapWalk.edges0(from, to, kinds, indexes));
            return new ReferenceGraph(flags, nodes, from, to, kinds, indexes, edges, rootKinds, rootMethods);
        }

        boolean budgetHit() {
            return state[3] != 0 || state[4] != 0;
        }
    }
}

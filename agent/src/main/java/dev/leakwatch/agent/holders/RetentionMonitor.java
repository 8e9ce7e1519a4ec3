package dev.leakwatch.agent.holders;

import dev.leakwatch.agent.holders.RetentionSearch.Container;
import dev.leakwatch.agent.holders.RetentionSearch.FoundChain;
import dev.leakwatch.agent.holders.RetentionSearch.SearchOutcome;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.HoldersMode;
import dev.leakwatch.agent.sampling.SamplerUnavailableException;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Who holds each suspect, kept up to date: searches the chains of confirmed suspects ({@link RetentionSearch}) at
 * most once per suspect per {@code holdersEvery}, watches the containers on them, and adds the chains to every report
 * ({@link #decorate}). One search per snapshot tick at most, so that the pauses of two suspects' walks never add up in
 * one tick.
 *
 * <p>A search runs on the snapshot thread (its time counts in the snapshot budget, which then spaces snapshots out) or
 * on a control command's thread when asked for; both hold this object's lock.
 */
public final class RetentionMonitor {
    /** A container's growth is given once it was watched this long: shorter spans read as noise. */
    static final Duration MIN_GROWTH_SPAN = Duration.ofSeconds(5);

    static final String AGENT_THREAD_PREFIX = "leakwatch-";

    private final RetentionSearch search;
    private final Instrumentation instrumentation;
    private final HoldersMode mode;
    private final Duration every;
    private final Duration maxPause;
    private final AgentLog log;
    private final LongSupplier millis;
    private final Map<String, Found> found = new HashMap<>();
    private final Map<String, Integer> inARow = new HashMap<>();
    /** The baselines of every container watched, by suspect: a later walk finding the same object keeps its baseline. */
    private final Map<String, List<Baseline>> baselines = new HashMap<>();

    private String unavailable;
    private long lastPassMillis = -1;
    private Consumer<ChainEvent> listener = event -> {};

    public RetentionMonitor(
            RetentionSearch search,
            Instrumentation instrumentation,
            HoldersMode mode,
            Duration every,
            Duration maxPause,
            AgentLog log,
            LongSupplier millis) {
        this.search = Objects.requireNonNull(search, "search");
        this.instrumentation = instrumentation;
        this.mode = mode;
        this.every = every;
        this.maxPause = maxPause;
        this.log = log;
        this.millis = millis;
    }

    /** What a search found for one suspect, for JFR and the MBean. */
    public record ChainEvent(String className, RetentionChain chain, long pauseMillis, int passes) {}

    /** Called with each chain a search finds, on the searching thread. */
    public synchronized void onChain(Consumer<ChainEvent> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * After a report: searches the first suspect that is due, if any. Returns whether it found something new for the
     * report.
     *
     * @param projectedPauseMillis the pause one heap walk is expected to take when none ran yet: about a live
     *                             histogram's
     */
    public synchronized boolean afterReport(LeakReport report, long projectedPauseMillis) {
        if (report == null || instrumentation == null) {
            return false;
        }
        Map<String, Integer> rows = new HashMap<>();
        for (Suspect suspect : report.suspects()) {
            rows.put(suspect.className(), inARow.getOrDefault(suspect.className(), 0) + 1);
        }
        inARow.clear();
        inARow.putAll(rows);
        if (unavailable != null) {
            return false;
        }
        for (Suspect suspect : report.suspects()) {
            String name = suspect.className();
            if (!mode.searchesAfter(inARow.get(name)) || !due(name)) {
                continue;
            }
            long projected = lastPassMillis >= 0 ? lastPassMillis : projectedPauseMillis;
            if (projected > maxPause.toMillis()) {
                SearchOutcome skipped = SearchOutcome.failed(String.format(
                        Locale.ROOT,
                        "not searched: a heap walk would pause the JVM about %d ms, longer than maxPause (%d"
                                + " ms); ./leakwatch holders PID searches on request",
                        projected,
                        maxPause.toMillis()));
                record(name, skipped);
                log.info(summary(name, skipped));
                return true;
            }
            return searchFor(name, false);
        }
        return false;
    }

    /** Searches every suspect of the report now, whatever its schedule; a person asked. Returns the lines to show. */
    public synchronized String searchNow(LeakReport report) {
        if (report == null || report.suspects().isEmpty()) {
            return "no suspects to search holders for (the newest report has none)";
        }
        for (Suspect suspect : report.suspects()) {
            searchFor(suspect.className(), true);
        }
        return describe(report);
    }

    /** The report with each suspect's chains, their containers' growth measured now, and a warning per cut search. */
    public synchronized LeakReport decorate(LeakReport report) {
        if (report == null || found.isEmpty() && unavailable == null) {
            return report;
        }
        List<Suspect> suspects = new ArrayList<>();
        List<String> warnings = new ArrayList<>(report.warnings());
        for (Suspect suspect : report.suspects()) {
            Found entry = found.get(suspect.className());
            if (entry == null) {
                suspects.add(suspect);
                continue;
            }
            suspects.add(suspect.withRetainedBy(chains(suspect.className(), entry)));
            String note = entry.outcome.failure() != null ? entry.outcome.failure() : entry.outcome.cut();
            if (note != null) {
                warnings.add("holders of " + suspect.className() + ": " + note);
            }
        }
        return report.withSuspects(suspects, warnings);
    }

    /** A few lines for {@code status}: each suspect's chains, or why there are none. */
    public synchronized String describe(LeakReport report) {
        StringBuilder out = new StringBuilder();
        if (unavailable != null) {
            return "holders: unavailable (" + unavailable + ")";
        }
        out.append("holders: ")
                .append(mode.wireName())
                .append(", every ")
                .append(every.toMinutes() > 0 ? every.toMinutes() + " min" : every.toSeconds() + " s");
        if (report == null) {
            return out.toString();
        }
        for (Suspect suspect : report.suspects()) {
            Found entry = found.get(suspect.className());
            out.append(System.lineSeparator())
                    .append("  ")
                    .append(suspect.className())
                    .append(": ");
            if (entry == null) {
                out.append("not searched yet");
                continue;
            }
            SearchOutcome outcome = entry.outcome;
            if (outcome.failure() != null) {
                out.append(outcome.failure());
                continue;
            }
            List<RetentionChain> chains = chains(suspect.className(), entry);
            out.append(String.format(
                    Locale.ROOT,
                    "%d chain%s (%d passes, longest pause %d ms)%s",
                    chains.size(),
                    chains.size() == 1 ? "" : "s",
                    outcome.passes(),
                    outcome.longestPauseMillis(),
                    outcome.cut() == null ? "" : "; " + outcome.cut()));
            for (RetentionChain chain : chains) {
                out.append(System.lineSeparator()).append("    ").append(ChainText.oneLine(chain));
            }
        }
        return out.toString();
    }

    /**
     * Ends a search in progress after its current pass and starts none: the recording stops. Not synchronized, so that
     * it reaches a search that holds this monitor.
     */
    public void stop() {
        search.cancel();
    }

    /** Why searches cannot run in this JVM, or null. */
    public synchronized String unavailable() {
        return unavailable;
    }

    /**
     * Loads the native walk now, so that a JVM where it cannot run says so once, at start, and every class a search
     * uses: a class loaded later, at the first search, would show in the host's histograms after the first reports
     * (AgentFootprintIT). Returns why searches cannot run, or null.
     */
    public synchronized String checkAvailable() {
        try {
            search.ensureAvailable();
            // Listed here rather than in a constant, so that premain, which builds this monitor, loads none of them.
            List<Class<?>> searchClasses = List.of(
                    HeapWalk.class,
                    RetentionSearch.class,
                    ReferenceGraph.class,
                    ChainNames.class,
                    ContainerSize.class,
                    ChainText.class,
                    AgentPackages.class,
                    RetentionMonitor.class,
                    RetentionChain.class);
            for (Class<?> used : searchClasses) {
                loadNested(used);
            }
            unavailable = null;
        } catch (SamplerUnavailableException | RuntimeException | LinkageError e) {
            unavailable = e.getMessage();
        }
        return unavailable;
    }

    private static void loadNested(Class<?> type) {
        for (Class<?> nested : type.getDeclaredClasses()) {
            loadNested(nested);
        }
    }

    private boolean due(String className) {
        Found entry = found.get(className);
        return entry == null || millis.getAsLong() - entry.atMillis >= every.toMillis();
    }

    private boolean searchFor(String className, boolean onRequest) {
        SearchOutcome outcome;
        try {
            search.ensureAvailable();
            HeapWalk.LoadedClasses loaded = HeapWalk.loadedClasses(className, AgentPackages.OWN);
            List<Object> excluded = new ArrayList<>(loaded.inPackages());
            excluded.addAll(agentThreads());
            outcome = loaded.named().isEmpty()
                    ? SearchOutcome.failed("no loaded class is named " + className)
                    : search.search(loaded.named(), excluded, AgentPackages.OWN, onRequest);
        } catch (SamplerUnavailableException e) {
            unavailable = e.getMessage();
            log.info("holders unavailable: " + unavailable);
            return false;
        }
        if (outcome.passes() > 0) {
            lastPassMillis = outcome.longestPauseMillis();
        }
        record(className, outcome);
        log.info(summary(className, outcome));
        for (RetentionChain chain : chains(className, found.get(className))) {
            try {
                listener.accept(new ChainEvent(className, chain, outcome.longestPauseMillis(), outcome.passes()));
            } catch (RuntimeException e) {
                log.error("retention chain listener failed", e);
            }
        }
        return true;
    }

    /** One line per search: what it found and what it cost, for the log. */
    private static String summary(String className, SearchOutcome outcome) {
        if (outcome.failure() != null) {
            return "holders of " + className + ": " + outcome.failure();
        }
        return String.format(
                Locale.ROOT,
                "holders of %s: %d chain%s from %d live objects, %d heap walk passes, longest pause %d ms, %d ms"
                        + " paused in all%s",
                className,
                outcome.chains().size(),
                outcome.chains().size() == 1 ? "" : "s",
                outcome.liveTargets(),
                outcome.passes(),
                outcome.longestPauseMillis(),
                outcome.totalPauseMillis(),
                outcome.cut() == null ? "" : "; " + outcome.cut());
    }

    private void record(String className, SearchOutcome outcome) {
        long now = millis.getAsLong();
        found.put(className, new Found(now, outcome));
        // Loops, not lambdas: a lambda's class would load at the first search, after the first reports.
        List<Baseline> watched = baselines.get(className);
        if (watched == null) {
            watched = new ArrayList<>();
            baselines.put(className, watched);
        }
        for (Iterator<Baseline> each = watched.iterator(); each.hasNext(); ) {
            if (each.next().object.get() == null) {
                each.remove();
            }
        }
        for (FoundChain chain : outcome.chains()) {
            for (Container container : chain.containers()) {
                Object object = container.object().get();
                if (object != null && baselineOf(watched, object) == null && container.sizeAtWalk() >= 0) {
                    watched.add(new Baseline(container.object(), now, container.sizeAtWalk()));
                }
            }
        }
    }

    private static Baseline baselineOf(List<Baseline> watched, Object object) {
        for (Baseline baseline : watched) {
            if (baseline.object.get() == object) {
                return baseline;
            }
        }
        return null;
    }

    /** The chains found for a suspect, each with the container that grows most now. */
    private List<RetentionChain> chains(String className, Found entry) {
        if (entry == null) {
            return List.of();
        }
        List<Baseline> watched = baselines.getOrDefault(className, List.of());
        long now = millis.getAsLong();
        List<RetentionChain> chains = new ArrayList<>();
        for (FoundChain chain : entry.outcome.chains()) {
            chains.add(new RetentionChain(
                    chain.rootKind(),
                    chain.root(),
                    chain.elements(),
                    growingContainer(chain, watched, now),
                    chain.objects()));
        }
        return chains;
    }

    /**
     * The container to name: the JDK collection that grew fastest, else the array that did, else (nothing grew yet,
     * or only once measured) the collection nearest the suspect's objects, else the nearest array.
     */
    private static RetentionChain.Container growingContainer(FoundChain chain, List<Baseline> watched, long now) {
        Container best = null;
        Double bestGrowth = null;
        for (boolean collections : new boolean[] {true, false}) {
            for (Container container : chain.containers()) {
                if (container.collection() != collections) {
                    continue;
                }
                Double growth = growth(container, watched, now);
                if (growth != null && growth > 0 && (bestGrowth == null || growth > bestGrowth)) {
                    best = container;
                    bestGrowth = growth;
                }
            }
            if (best != null) {
                break;
            }
        }
        if (best == null) {
            for (boolean collections : new boolean[] {true, false}) {
                for (Container container : chain.containers()) {
                    if (container.collection() == collections) {
                        best = container; // the last one is the nearest to the objects
                    }
                }
                if (best != null) {
                    break;
                }
            }
            bestGrowth = best == null ? null : growth(best, watched, now);
        }
        if (best == null) {
            return null;
        }
        return new RetentionChain.Container(
                best.className(), chain.elements().get(best.chainIndex()), best.chainIndex(), bestGrowth);
    }

    /** Entries per minute since the container was first watched; null while that is too short or it is gone. */
    private static Double growth(Container container, List<Baseline> watched, long now) {
        Object object = container.object().get();
        Baseline baseline = object == null ? null : baselineOf(watched, object);
        if (baseline == null || now - baseline.atMillis < MIN_GROWTH_SPAN.toMillis()) {
            return null;
        }
        int size = ContainerSize.of(object, container.collection());
        if (size < 0) {
            return null;
        }
        return (size - baseline.size) / ((now - baseline.atMillis) / 60_000.0);
    }

    private static List<Thread> agentThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(threads, true);
        List<Thread> agents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().startsWith(AGENT_THREAD_PREFIX) || threads[i] == Thread.currentThread()) {
                agents.add(threads[i]);
            }
        }
        return agents;
    }

    private record Found(long atMillis, SearchOutcome outcome) {}

    private record Baseline(java.lang.ref.WeakReference<Object> object, long atMillis, int size) {}
}

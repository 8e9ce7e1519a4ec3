package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;

import dev.leakwatch.analyzer.trend.MannKendall;
import dev.leakwatch.analyzer.trend.TheilSen;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.report.AllocationSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the code behind a suspect: among the allocation paths the agent sampled, those that allocate one of the
 * suspect's classes and show that their objects are retained, added up per application method, each with its part of
 * the growth. Stateless.
 *
 * <p>A path shows retention when its live samples survive across snapshots: they come from several snapshot epochs
 * ({@link SiteRetention#hasSurvivors}), the oldest has lived through most of the time the path was watched, and the
 * path's retained bytes grow. Churn fails
 * the first two however many objects it keeps alive at one moment, since its objects die young: in issue 13 a path
 * of session objects that live 15 s (4 live samples, all from one epoch, the oldest 14 s old) was shown first while
 * three paths through one method held 66% of the growth ({@code AllocationAttributionTest}).
 *
 * <p>A path that keeps growing with live objects from ever more snapshot epochs is a leak signal of its own, found
 * without any histogram: {@link #confirms} tells whether it agrees with the histogram trend.
 */
public final class AllocationAttribution {
    /** Sites shown per suspect. */
    static final int SITES_SHOWN = 5;
    /** Sites must hold at least this share of the attributed growth to be shown. */
    static final double MIN_SHARE = 0.02;
    /** A path "keeps growing" when its live samples rise with this significance (one-sided Mann-Kendall). */
    static final double PATH_TREND_P_VALUE = 0.05;

    /** A path must have had live samples in at least this many of the window's snapshots: one is a single sighting. */
    static final int MIN_SNAPSHOTS_SEEN = 2;
    /**
     * A path's oldest live sample must be at least this fraction as old as the time the path has been watched (from the
     * first snapshot in the window that saw it live). A retained path keeps its first objects, so its oldest sample
     * ages with the recording; a churned path's oldest sample is never older than its objects live, however long it is
     * watched. Half, rather than all of it, leaves room for thinning (a full tracking table keeps each sample with
     * probability 1/2, so a path's very first samples may go) and for a path that was in the top paths before its
     * oldest survivors were allocated.
     */
    static final double MIN_AGE_FRACTION_OF_WATCHED = 0.5;

    /**
     * leakwatch's own code. A path through it allocates the agent's memory, which is not the application's leak
     * however it grows: with the class-loader sample, the instrumenting transformer's record of the classes it changed
     * grows with every leaked loader, and held 35% of the suspect's tracked growth in a live report
     * ({@code AllocationAttributionTest#aPathThroughLeakwatchsOwnCodeIsNoSite}).
     */
    static final List<String> OWN_CODE_PREFIXES = List.of(
            "dev.leakwatch.agent.",
            "dev.leakwatch.analyzer.",
            "dev.leakwatch.format.",
            "dev.leakwatch.bootstrap.",
            "dev.leakwatch.shaded.");

    /** Packages of the JDK's own frames, which never name a site on their own. */
    private static final List<String> JDK_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private AllocationAttribution() {}

    /**
     * The suspect's allocation sites, most retained growth first: one per application method, adding up the paths
     * through it that show retention, each naming every type allocated there. At most {@link #SITES_SHOWN}, each with
     * at least {@link #MIN_SHARE} of the growth unless it allocates the leader.
     *
     * @param leader  the suspect's leading class: a site that allocates it is shown even below {@link #MIN_SHARE}
     * @param classes every class of the suspect's group, the leader included
     */
    static List<AllocationSite> sitesFor(AnalysisWindow window, String leader, Set<String> classes) {
        if (!window.table().hasAllocations() || window.points() < 2) {
            return List.of();
        }
        long now = window.epochMillis(window.points() - 1);
        Map<String, List<RetainedPath>> byMethod = new LinkedHashMap<>();
        double totalGrowth = 0;
        for (String key : sortedKeys(window)) {
            SiteRetention path = window.table().path(key);
            if (!classes.contains(path.allocatedType()) || throughOwnCode(path)) {
                continue;
            }
            RetainedPath retained = retained(window, key, path, classes, now);
            if (retained == null) {
                continue;
            }
            totalGrowth += retained.growthBytesPerMinute;
            String siteFrame = SiteRetention.keyFrame(path.frames(), retained.attributedFrame, path.firstNonJdkFrame());
            byMethod.computeIfAbsent(method(siteFrame), ignored -> new ArrayList<>())
                    .add(retained);
        }
        List<AllocationSite> sites = new ArrayList<>();
        for (List<RetainedPath> paths : byMethod.values()) {
            AllocationSite site = site(paths, totalGrowth);
            if (site.share() >= MIN_SHARE || site.allocatedTypes().contains(leader)) {
                sites.add(site);
            }
        }
        sites.sort(Comparator.comparingDouble(AllocationSite::growthBytesPerMinute)
                .reversed()
                .thenComparing(
                        Comparator.comparingLong(AllocationSite::liveSamples).reversed())
                .thenComparing(AllocationSite::keyFrame));
        return sites.size() > SITES_SHOWN ? List.copyOf(sites.subList(0, SITES_SHOWN)) : sites;
    }

    /**
     * Whether the top site tells the same story as the histogram: its path with the most growth keeps significantly
     * more sampled objects alive, from more and more snapshot epochs (old objects survive while new ones join).
     */
    static boolean confirms(AnalysisWindow window, List<AllocationSite> sites) {
        if (sites.isEmpty()) {
            return false;
        }
        AllocationSite top = sites.get(0);
        String key = top.allocatedType() + "|" + String.join(";", top.frames());
        AnalysisWindow.Series samples = window.pathSamples(key);
        AnalysisWindow.Series epochs = window.pathEpochs(key);
        if (samples.size() < SharedThresholds.MIN_POINTS || epochs.size() < 2) {
            return false;
        }
        return MannKendall.test(samples.values()).pValueIncreasing() <= PATH_TREND_P_VALUE
                && epochs.last() > epochs.first();
    }

    /** A path that shows retention and grows, with its figures at the window's end; null for any other. */
    private static RetainedPath retained(
            AnalysisWindow window, String key, SiteRetention path, Set<String> classes, long now) {
        AnalysisWindow.Series samples = window.pathSamples(key);
        AnalysisWindow.Series epochs = window.pathEpochs(key);
        AnalysisWindow.Series bytes = window.pathBytes(key);
        if (samples.isEmpty() || samples.last() <= 0 || epochs.isEmpty() || bytes.size() < 2) {
            return null;
        }
        int firstSeen = -1;
        int seen = 0;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.values()[i] > 0) {
                seen++;
                firstSeen = firstSeen < 0 ? samples.index()[i] : firstSeen;
            }
        }
        double watchedSeconds = (now - window.epochMillis(firstSeen)) / 1000.0;
        double ageSeconds =
                path.oldestAllocationMillis() > 0 ? Math.max(0, (now - path.oldestAllocationMillis()) / 1000.0) : 0;
        if (seen < MIN_SNAPSHOTS_SEEN
                || !path.hasSurvivors()
                || ageSeconds < MIN_AGE_FRACTION_OF_WATCHED * watchedSeconds) {
            return null;
        }
        double slope = TheilSen.slope(bytes.minutes(), bytes.values());
        if (slope <= 0) {
            return null;
        }
        return new RetainedPath(
                path,
                attributedFrame(path, classes),
                slope,
                (long) bytes.last(),
                (long) samples.last(),
                (int) epochs.last(),
                ageSeconds);
    }

    /**
     * The index of the application frame a path's site is named after: its first one, or, when that is a method of
     * one of the suspect's own classes, the first application frame further out, past those classes and the JDK
     * frames between. The leaking type's own methods (a constructor filling its fields, a class loader's
     * {@code loadClass} defining the classes it pins) say how the type works; the code that calls them says who makes
     * the objects that stay. With the class-loader sample the loader's {@code loadClass} and its constructor were
     * shown as two sites besides {@code loadPlugin}, which creates every loader (issue 13). A path without an
     * application frame, or with none further out, keeps its own.
     */
    static int attributedFrame(SiteRetention path, Set<String> classes) {
        List<String> frames = path.frames();
        int first = path.firstApplicationFrame();
        if (first < 0 || first >= frames.size() || !classes.contains(declaringClass(frames.get(first)))) {
            return first;
        }
        for (int caller = first + 1; caller < frames.size(); caller++) {
            String frame = frames.get(caller);
            if (!classes.contains(declaringClass(frame)) && !isJdkFrame(frame)) {
                return caller;
            }
        }
        return first;
    }

    private static boolean isJdkFrame(String frame) {
        for (String prefix : JDK_PREFIXES) {
            if (frame.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code com.acme.Cache$Entry} of {@code com.acme.Cache$Entry.<init>(Cache.java:42)}. */
    private static String declaringClass(String frame) {
        String method = method(frame);
        int dot = method.lastIndexOf('.');
        return dot < 0 ? method : method.substring(0, dot);
    }

    /** The paths of one method as one site: the stack and type of its path with the most growth, the sums of all. */
    private static AllocationSite site(List<RetainedPath> paths, double totalGrowth) {
        List<RetainedPath> ranked = new ArrayList<>(paths);
        ranked.sort(Comparator.comparingDouble((RetainedPath path) -> path.growthBytesPerMinute)
                .reversed());
        RetainedPath top = ranked.get(0);
        List<String> types = new ArrayList<>();
        double growth = 0;
        long liveBytes = 0;
        long liveSamples = 0;
        int epochs = 0;
        double oldest = 0;
        for (RetainedPath path : ranked) {
            if (!types.contains(path.retention.allocatedType())) {
                types.add(path.retention.allocatedType());
            }
            growth += path.growthBytesPerMinute;
            liveBytes += path.liveBytes;
            liveSamples += path.liveSamples;
            epochs = Math.max(epochs, path.epochs);
            oldest = Math.max(oldest, path.ageSeconds);
        }
        return new AllocationSite(
                top.retention.frames(),
                top.retention.allocatedType(),
                types,
                ranked.size(),
                round(totalGrowth > 0 ? growth / totalGrowth : 0),
                round(growth),
                liveBytes,
                liveSamples,
                epochs,
                oldest,
                top.retention.firstNonJdkFrame(),
                top.attributedFrame);
    }

    /** Whether a path allocates leakwatch's own memory ({@link #OWN_CODE_PREFIXES}): the page's flame graph leaves it out too. */
    public static boolean throughOwnCode(SiteRetention path) {
        for (String frame : path.frames()) {
            for (String prefix : OWN_CODE_PREFIXES) {
                if (frame.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Path keys in a fixed order, so that sites and the types within them come out the same run to run. */
    private static List<String> sortedKeys(AnalysisWindow window) {
        List<String> keys = new ArrayList<>();
        window.table().pathKeys().forEach(keys::add);
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    /** {@code com.acme.Cache.put} of {@code com.acme.Cache.put(Cache.java:42)}: paths through one method at any line. */
    private static String method(String frame) {
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }

    private record RetainedPath(
            SiteRetention retention,
            int attributedFrame,
            double growthBytesPerMinute,
            long liveBytes,
            long liveSamples,
            int epochs,
            double ageSeconds) {}
}

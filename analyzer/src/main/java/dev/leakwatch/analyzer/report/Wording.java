package dev.leakwatch.analyzer.report;

import java.util.List;
import java.util.Locale;

/**
 * Every sentence the analysis puts in a report, in one place, so that the tone and the caveats stay consistent
 * and can be reviewed (and one day translated) together.
 *
 * <p>It lives with the report rather than with the rules because both write with it: the rules their summaries
 * and explanations, the {@link TextReportWriter} its units and notes. The rules depend on the report, never the
 * reverse ({@code PackageDependenciesTest}).
 */
public final class Wording {
    private Wording() {}

    public static String suspectSummary(String className, double bytesPerMinute, int relatedCount, boolean suspect) {
        String related = relatedCount == 0
                ? ""
                : " (with " + relatedCount + " related class" + (relatedCount == 1 ? "" : "es") + ")";
        return className + related + " retains " + bytes(bytesPerMinute) + " more every minute"
                + (suspect ? " and is still growing" : " on average over the window");
    }

    /**
     * A class-loader suspect: the loaders, and the application classes growing with them (most likely the classes they
     * defined; empty when none grows fast enough to be seen).
     */
    public static String loaderSuspectSummary(
            String loaderType, List<String> pinnedClasses, double bytesPerMinute, int relatedCount, boolean suspect) {
        String with = pinnedClasses.isEmpty()
                ? relatedCount == 0
                        ? ""
                        : " (with " + relatedCount + " related class" + (relatedCount == 1 ? "" : "es") + ")"
                : " and what they load (" + String.join(", ", pinnedClasses) + "; " + relatedCount + " related class"
                        + (relatedCount == 1 ? "" : "es") + " in all)";
        return "Class loaders of type " + loaderType + with + " retain " + bytes(bytesPerMinute) + " more every minute"
                + (suspect ? " and are still growing" : " on average over the window");
    }

    public static String suspectExplanation(
            int points,
            double minutes,
            double tau,
            double pValue,
            double recentShare,
            boolean stillGrowing,
            double growthPercent,
            boolean shortWindow,
            String histogramCaveat) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "Over %d snapshots in %s its retained bytes rose in %.0f%% of pairs (Kendall tau %.2f, p=%.2g);"
                        + " the newest third of the window grows at %.0f%% of the overall rate%s;"
                        + " it grew by %.0f%% of its size at the start of the window.",
                points,
                minutes(minutes),
                (tau + 1) * 50,
                tau,
                pValue,
                recentShare * 100,
                stillGrowing ? ", so it has not levelled off" : "",
                growthPercent));
        if (shortWindow) {
            text.append(
                    " The window is short: a cache still filling up can look the same; a longer recording will tell.");
        }
        if (histogramCaveat != null) {
            text.append(' ').append(histogramCaveat);
        }
        return text.toString();
    }

    public static String candidateWhy(String reason) {
        return "Not reported as a suspect: " + reason + ".";
    }

    public static final String BELOW_CONFIDENCE = "the trend is not consistent enough";
    public static final String LEVELLED_OFF = "its growth has levelled off in the newest part of the window";
    public static final String BELOW_ABSOLUTE_FLOOR = "it grows by less than the noise floor of %s";
    public static final String BELOW_RELATIVE_FLOOR =
            "its growth is small relative to its size (%.1f%% over the window)";

    public static final String ALLOCATION_AGREES =
            "Allocation tracking agrees: the top allocation path keeps more and more sampled objects alive, allocated"
                    + " across more and more snapshots.";

    /**
     * Names the loader type whose loaders defined the most new classes: as accumulating when its live loaders grow,
     * else as one that keeps defining; {@code accounted} false adds that the rest of the new classes are hidden ones.
     */
    public static String definingLoader(
            String type,
            long live,
            double livePerMinute,
            long defined,
            double definedPerMinute,
            double share,
            boolean accounted) {
        String rest = accounted
                ? ""
                : String.format(
                        Locale.ROOT,
                        " They defined %.0f%% of the new classes; the rest reached no class-file hook: %s",
                        share * 100,
                        HIDDEN_CLASSES);
        if (livePerMinute > 0) {
            return String.format(
                    Locale.ROOT,
                    "Class loaders of type %s accumulate: %d alive, %.1f more per minute, which defined %d classes,"
                            + " %.1f more per minute; a suspect of that type, with its allocation site, shows where they"
                            + " are created.%s",
                    type,
                    live,
                    livePerMinute,
                    defined,
                    definedPerMinute,
                    rest);
        }
        return String.format(
                Locale.ROOT,
                "%d class loader%s of type %s keep%s defining classes: %d defined, %.1f more per minute; look for code"
                        + " that compiles or generates a class per call (scripts, expressions, proxies) and keeps"
                        + " it.%s",
                live,
                live == 1 ? "" : "s",
                type,
                live == 1 ? "s" : "",
                defined,
                definedPerMinute,
                rest);
    }

    public static final String HIDDEN_CLASSES = "hidden classes (lambdas, Lookup.defineHiddenClass), which in a class"
            + " histogram are the rows whose names end in /0x and an address.";

    public static final String NO_LOADER_DEFINES_THEM =
            "No class loader type defined a tenth of the new classes through a class-file hook, so they are "
                    + HIDDEN_CLASSES;

    public static final String LOADER_TYPES_NOT_RECORDED =
            "Run the agent with allocations=on to name the class loader type that defines them.";

    public static String classCounts(double minutes, long loaded, long unloaded, double leastThirdShare) {
        return String.format(
                Locale.ROOT,
                "In %s, %d classes were loaded and %d unloaded, steadily: no third of that time added less than %.0f%%"
                        + " of an even share.",
                minutes(minutes),
                loaded,
                unloaded,
                leastThirdShare * 100);
    }

    public static String metaspaceGrowth(double bytesPerMinute) {
        return String.format(Locale.ROOT, "Metaspace grew by %s per minute meanwhile.", bytes(bytesPerMinute));
    }

    public static String trackingTableFull(long evicted) {
        return "Allocation tracking had no room for " + evicted + " samples: a full table drops samples evenly"
                + " (thinning, which the estimates are scaled for; raise maxTracked to keep more), and the JVM sampler's"
                + " queue drops what a burst brings beyond it (lower maxSampleRate to avoid that).";
    }

    public static final String ALLOCATIONS_NOT_TRACKED =
            "allocation sites: not tracked in this recording; run the agent with allocations=on to name the code that"
                    + " allocates each suspect (with the JVM's heap sampler, a few percent of CPU at most on an"
                    + " allocation-heavy benchmark: README \"Allocation tracking overhead\")";

    public static final String ALL_HISTOGRAM_CAVEAT =
            "Some histograms counted all objects, garbage included (a cheaper fallback than a forced GC): treat the"
                    + " rates as approximate.";

    public static String heapGrowing(double bytesPerMinute, Double minutesToExhaustion) {
        String projection =
                minutesToExhaustion == null ? "" : ", the heap would be full in about " + minutes(minutesToExhaustion);
        return "The live set grows by " + bytes(bytesPerMinute) + " per minute" + projection;
    }

    public static String heapNotGrowing(long liveBytes) {
        return "The live set is not growing (" + bytes(liveBytes) + " now)";
    }

    public static final String NOT_ENOUGH_DATA =
            "Not enough data yet: the analysis needs at least %d snapshots over %s after the warm-up; it has %d.";

    public static String gaugeSummary(String what, double perMinute, String unit, double current) {
        return String.format(
                Locale.ROOT,
                "%s grows by %s per minute (%s now)",
                what,
                amount(perMinute, unit),
                amount(current, unit));
    }

    public static final String CLASS_LOADING_EXPLANATION =
            "Classes keep being loaded and not unloaded: class loaders that stay reachable (plugins, scripts,"
                    + " redeployments), or a long-lived loader that defines new classes per call (compiled expressions,"
                    + " generated proxies).";
    public static final String THREADS_EXPLANATION =
            "Threads are started and never end: look for executors created per request and never shut down.";
    public static final String DIRECT_MEMORY_EXPLANATION =
            "Direct buffers are allocated and stay reachable: their memory is outside the Java heap and invisible in"
                    + " class histograms except as small java.nio.DirectByteBuffer objects.";

    public static String reportSummary(int suspects, int findings, boolean enoughData) {
        if (!enoughData) {
            return "Not enough data for a verdict yet.";
        }
        if (suspects == 0 && findings == 0) {
            return "No retained growth found.";
        }
        return suspects + " leak suspect" + (suspects == 1 ? "" : "s")
                + (findings == 0 ? "" : " and " + findings + " JVM-level growth finding" + (findings == 1 ? "" : "s"))
                + ".";
    }

    public static String bytes(double bytes) {
        double magnitude = Math.abs(bytes);
        if (magnitude >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (1 << 30));
        }
        if (magnitude >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20));
        }
        if (magnitude >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }

    public static String minutes(double minutes) {
        if (minutes < 1) {
            return String.format(Locale.ROOT, "%.0f s", minutes * 60);
        }
        if (minutes < 120) {
            return String.format(Locale.ROOT, "%.1f min", minutes);
        }
        if (minutes < 48 * 60) {
            return String.format(Locale.ROOT, "%.1f h", minutes / 60);
        }
        return String.format(Locale.ROOT, "%.1f days", minutes / (24 * 60));
    }

    private static String amount(double value, String unit) {
        return "bytes".equals(unit) ? bytes(value) : String.format(Locale.ROOT, "%.1f %s", value, unit);
    }
}

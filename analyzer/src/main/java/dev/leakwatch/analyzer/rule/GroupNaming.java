package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.report.Wording;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses the class that names a group of classes growing in step, and how its summary reads. Stateless.
 *
 * <p>The leader is the most specific member ({@link ClassSpecificity.Tier}: an application or library class, then a
 * specific JDK class, then generic JDK internals, then strings, boxes and primitive arrays), and among members of one
 * tier the one that grows most. Size never outweighs a tier: a histogram counts each object's own (shallow) bytes, so
 * a holder is always small next to what it holds (one {@code LogManager$LogNode} of 32 bytes per logger name, the
 * name's {@code String} and {@code byte[]} in other rows; one plugin class instance per class loader, its strings by
 * the hundred). A member names its group only when it grows steadily on its own and {@link InStep in step} with the
 * group's total: that, not size, keeps a class that merely grew at the same time from renaming the leak.
 *
 * <p>A class-loader leak is named after the loader type ({@code URLClassLoader}, {@code PluginClassLoader}) rather than
 * the bytes the loaders keep reachable: its allocation site is where loaders are created, and the class-loading
 * finding points at it ({@link Wording#accumulatingLoader}). The application classes growing with the loaders, most
 * likely the ones they defined, are named in the summary.
 */
final class GroupNaming {
    /**
     * A member must track the group's total bytes at least this closely ({@link InStep}) to name the group: as closely
     * as two application types must track each other to be one leak. It turns away a class whose growth started or
     * stopped a third of the window apart from the leak's ({@code InStepTest}); one window cannot tell a member from a
     * class that started or stopped only a few snapshots apart from it.
     */
    static final double NAMING_CORRELATION = 0.97;

    /** The most specific class first, the one that grows most within a tier. */
    private static final Comparator<ClassTrend> LEADER_FIRST = Comparator.comparing(
                    ClassTrend::className, ClassSpecificity.MOST_SPECIFIC_FIRST)
            .thenComparing(Comparator.comparingDouble(ClassTrend::slope).reversed());

    /** Application classes named in a class-loader suspect's summary; the rest are in its related classes. */
    static final int PINNED_CLASSES_SHOWN = 3;

    private GroupNaming() {}

    /**
     * Moves the leader to the front of {@code group}; the others keep their order. When no member is in step with the
     * group, the first one, the class the group formed around, stays the leader.
     *
     * @param joinedLoosely members that joined without growing in step ({@link Membership#joinedLoosely}): they
     *     neither name the group nor count in the total the namer must follow. A map table's doublings, or a batch of
     *     strings kept once by something else, would otherwise pull the total away from the class that holds the leak.
     */
    static void leaderFirst(
            List<ClassTrend> group, AnalysisWindow window, InStep.Cache inStep, Predicate<String> joinedLoosely) {
        if (group.size() < 2) {
            return;
        }
        List<ClassTrend> core = new ArrayList<>();
        for (ClassTrend member : group) {
            if (!joinedLoosely.test(member.className())) {
                core.add(member);
            }
        }
        AnalysisWindow.Series total = total(core.isEmpty() ? group : core, window);
        List<ClassTrend> namers = new ArrayList<>();
        for (ClassTrend member : core) {
            if (member.confidence() >= SharedThresholds.REPORTED_CONFIDENCE
                    && inStep.correlation(member, total) >= NAMING_CORRELATION) {
                namers.add(member);
            }
        }
        if (namers.isEmpty()) {
            return;
        }
        Set<String> loaderTypes = loaderTypes(window);
        List<ClassTrend> loaders = new ArrayList<>();
        for (ClassTrend namer : namers) {
            if (isClassLoader(namer.className(), loaderTypes)) {
                loaders.add(namer);
            }
        }
        ClassTrend leader = Collections.min(loaders.isEmpty() ? namers : loaders, LEADER_FIRST);
        group.remove(leader);
        group.add(0, leader);
    }

    /** The group's bytes at each window point: what its members hold together, as the suspect reports it. */
    private static AnalysisWindow.Series total(List<ClassTrend> group, AnalysisWindow window) {
        Set<String> members = new HashSet<>();
        for (ClassTrend member : group) {
            members.add(member.className());
        }
        return window.of(index -> {
            long sum = 0;
            for (String member : members) {
                long bytes = window.table().classBytes(member, window.tablePoint(index));
                if (bytes > 0) {
                    sum += bytes;
                }
            }
            return sum;
        });
    }

    /** The suspect's one-line summary; a class-loader suspect names the application classes growing with it. */
    static String summary(List<ClassTrend> group, AnalysisWindow window, double bytesPerMinute, boolean suspect) {
        ClassTrend leader = group.get(0);
        int related = group.size() - 1;
        Set<String> loaderTypes = loaderTypes(window);
        if (!isClassLoader(leader.className(), loaderTypes)) {
            return Wording.suspectSummary(leader.className(), bytesPerMinute, related, suspect);
        }
        List<String> pinned = new ArrayList<>();
        for (ClassTrend member : group.subList(1, group.size())) {
            String name = member.className();
            if (ClassSpecificity.isApplicationType(name)
                    && !ClassSpecificity.isArray(name)
                    && !isClassLoader(name, loaderTypes)
                    && member.confidence() >= SharedThresholds.REPORTED_CONFIDENCE
                    && InStep.correlation(leader.bytes(), member.bytes()) >= NAMING_CORRELATION) {
                pinned.add(name);
            }
        }
        return Wording.loaderSuspectSummary(
                leader.className(),
                pinned.subList(0, Math.min(PINNED_CLASSES_SHOWN, pinned.size())),
                bytesPerMinute,
                related,
                suspect);
    }

    private static boolean isClassLoader(String className, Set<String> loaderTypes) {
        return ClassSpecificity.isClassLoaderByName(className) || loaderTypes.contains(className);
    }

    /** The loader types the agent saw defining classes; empty for jcmd histograms and without allocation tracking. */
    private static Set<String> loaderTypes(AnalysisWindow window) {
        Set<String> types = new HashSet<>();
        for (String type : window.table().loaderTypes()) {
            types.add(type);
        }
        return types;
    }
}

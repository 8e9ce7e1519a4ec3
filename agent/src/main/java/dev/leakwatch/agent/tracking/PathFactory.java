package dev.leakwatch.agent.tracking;

import java.util.Arrays;
import java.util.List;

/**
 * Builds a new path's strings: the only place frames are formatted, once per distinct path (and, through the
 * {@link FrameFormatter}, once per distinct frame).
 */
final class PathFactory {
    static final String OTHER_STACKS = "<other stacks>";
    static final String OTHER_SITES = "<other sites>";
    static final String OTHER_TYPES = "<various>";

    private final SiteNames siteNames;
    private final FrameFormatter formatter;
    private final FrameClassifier classifier;

    PathFactory(SiteNames siteNames, FrameFormatter formatter, FrameClassifier classifier) {
        this.siteNames = siteNames;
        this.formatter = formatter;
        this.classifier = classifier;
    }

    /** A path for the stack just walked; with no frames left below the hook, the site's own frame stands in. */
    AllocationPath create(PathKey key, SampledStack stack, Class<?> type) {
        if (stack.depth() == 0) {
            return siteOnly(key, type.getTypeName(), siteNames.frame(key.siteId));
        }
        String[] frames = new String[stack.depth()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = formatter.format(stack, i);
        }
        return new AllocationPath(
                key,
                key.siteId,
                type.getTypeName(),
                Arrays.asList(frames),
                classifier.firstNonJdk(key.classNames),
                classifier.firstApplication(key.classNames));
    }

    /** Where a site's samples go once the path table is full. */
    AllocationPath otherStacks(int siteId) {
        String siteFrame = siteNames.frame(siteId);
        String[] classNames = {FrameClassifier.classOfFrame(siteFrame)};
        return new AllocationPath(
                null,
                siteId,
                siteNames.allocatedType(siteId),
                List.of(siteFrame, OTHER_STACKS),
                classifier.firstNonJdk(classNames),
                classifier.firstApplication(classNames));
    }

    /** Where every sample goes once the "other stacks" paths are as many as the paths. */
    AllocationPath otherSites() {
        return new AllocationPath(null, -1, OTHER_TYPES, List.of(OTHER_SITES), -1, -1);
    }

    private AllocationPath siteOnly(PathKey key, String typeName, String siteFrame) {
        String[] classNames = {FrameClassifier.classOfFrame(siteFrame)};
        return new AllocationPath(
                key,
                key.siteId,
                typeName,
                List.of(siteFrame),
                classifier.firstNonJdk(classNames),
                classifier.firstApplication(classNames));
    }
}

package dev.leakwatch.agent.tracking;

/**
 * What the tracker needs to know about an allocation site id, assigned at instrumentation time. The instrumentation's
 * site registry adapts to this; the tracker does not depend on it.
 *
 * <p>Paths are named by the stack the tracker walks itself; these names serve the paths that have no stack of their
 * own: the per-site "other stacks" path once the path table is full, and a sample whose every frame was the hook's.
 */
public interface SiteNames {
    /** Binary name of the type the site allocates, {@code byte[]} style for arrays; never null. */
    String allocatedType(int siteId);

    /** The site as a stack frame, like {@code com.acme.Cache.put(Cache.java:42)}; never null. */
    String frame(int siteId);

    /** Names for when no registry is at hand: the site id only. */
    enum Unavailable implements SiteNames {
        INSTANCE;

        @Override
        public String allocatedType(int siteId) {
            return "java.lang.Object";
        }

        @Override
        public String frame(int siteId) {
            return "<site " + siteId + ">";
        }
    }
}

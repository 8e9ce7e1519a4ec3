package dev.leakwatch.analyzer.report;

import java.util.List;

/**
 * Where retained objects of a suspect were allocated. Filled in by allocation-site tracking; the schema is fixed
 * now so that readers of version 1 reports can rely on it.
 *
 * @param frames stack frames, innermost first, formatted like {@code com.acme.Cache.put(Cache.java:42)}
 * @param share  fraction (0..1) of the suspect's retained growth attributed to this site
 */
public record AllocationSite(List<String> frames, double share) {
    public AllocationSite {
        frames = List.copyOf(frames);
    }
}

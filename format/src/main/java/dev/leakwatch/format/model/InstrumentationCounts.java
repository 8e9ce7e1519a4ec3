package dev.leakwatch.format.model;

/**
 * How much code the allocation tracking covers, at one snapshot: a suspect whose report names no allocation site
 * reads differently when no class of its allocating code was instrumented, or when some failed to be.
 *
 * @param classes       classes instrumented so far (loaded, or retransformed after an attach)
 * @param sites         allocation sites hooked in them
 * @param failedClasses classes whose instrumentation failed; they run with their original code
 */
public record InstrumentationCounts(long classes, long sites, long failedClasses) {}

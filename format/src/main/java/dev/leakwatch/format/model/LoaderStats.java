package dev.leakwatch.format.model;

/**
 * Class loaders of one type at a snapshot, from the agent's class-definition callbacks.
 *
 * @param loaderType     binary name of the loader's class ({@code <bootstrap>} for the boot loader)
 * @param liveLoaders    loaders of this type still reachable that defined at least one class since the agent started
 * @param definedClasses classes those loaders defined since the agent started
 */
public record LoaderStats(String loaderType, long liveLoaders, long definedClasses) {}

package dev.leakwatch.format.report;

/** A class that grows in step with a suspect's leading class, most likely retained by it or with it. */
public record RelatedClass(String className, double growthBytesPerMinute, long liveBytes, long liveInstances) {}

package dev.leakwatch.format.model;

/** Cumulative count and time of one garbage collector since JVM start. */
public record GcGauge(String name, long collections, long timeMillis) {}

package dev.leakwatch.agent.control;

/**
 * One current leak suspect as an MBean, {@code dev.leakwatch:type=Suspect,fingerprint=...,class=...}, registered while
 * the newest report holds it and unregistered when it goes away ({@link SuspectBeans}). Its numbers are what a JMX
 * exporter turns into labelled metrics (contrib/prometheus/leakwatch-jmx-exporter.yaml). Only JDK types.
 */
public interface SuspectControlMBean {
    String getClassName();

    /** The same for this leak in every JVM and after a restart (docs/formats.md, "Fingerprints"). */
    String getFingerprint();

    /** 1 for the most important suspect of the newest report. */
    int getRank();

    /** 0..1. */
    double getConfidence();

    /** Growth of the suspect's retained bytes (its whole group), bytes per minute. */
    double getGrowthBytesPerMinute();

    /** The group's bytes in the newest snapshot. */
    long getLiveBytes();

    /** The leading class's instances in the newest snapshot. */
    long getLiveInstances();

    /** ISO-8601: since when it grows. */
    String getFirstSeenGrowing();

    /** The application method where most of its growth is allocated, with the types; empty when not known. */
    String getTopAllocationSite();
}

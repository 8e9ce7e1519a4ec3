package dev.leakwatch.agent.control;

/**
 * The system property a recording session sets to its output directory while it records. A client attached to the
 * JVM reads it among the JVM's properties, so {@code list} and every command tell whether leakwatch records there
 * without loading anything into the JVM. Here rather than in the session, so that the client need not know it.
 */
public final class RecordingProperty {
    public static final String NAME = "leakwatch.recording";

    private RecordingProperty() {}
}

package dev.leakwatch.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of leakwatch that runs, from the build (the POM's {@code project.version}, filtered into a resource of
 * this module): reports name it, so that a report read months later says which release wrote it.
 */
public final class LeakwatchVersion {
    static final String RESOURCE = "version.properties";
    /** What a build that lost its resource (a jar assembled by hand) says instead of failing. */
    static final String UNKNOWN = "unknown";

    private static final String CURRENT = read();

    private LeakwatchVersion() {}

    /** Like {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}; {@value #UNKNOWN} when the build did not say. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = LeakwatchVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}

package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeakwatchVersionTest {
    /** The build filters the POM's version in (format/pom.xml); unfiltered, it would read "unknown". */
    @Test
    void theBuildsVersionIsNamed() {
        String version = LeakwatchVersion.current();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), version);
    }
}

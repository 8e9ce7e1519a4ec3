package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sentences of the report: units a person reads at a glance, caveats where they apply. */
class WordingTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1.0 KB",
        "32768, 32.0 KB",
        "1572864, 1.5 MB",
        "3221225472, 3.0 GB",
        "-2048, -2.0 KB"
    })
    void bytes(double value, String text) {
        assertEquals(text, Wording.bytes(value));
    }

    @ParameterizedTest
    @CsvSource({"0.5, 30 s", "1, 1.0 min", "119.9, 119.9 min", "120, 2.0 h", "2879, 48.0 h", "2880, 2.0 days"})
    void minutes(double value, String text) {
        assertEquals(text, Wording.minutes(value));
    }

    @Test
    void numbersDoNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1.5 MB", Wording.bytes(1_572_864));
            assertEquals("2.5 min", Wording.minutes(2.5));
            assertTrue(Wording.suspectExplanation(10, 2.5, 0.8, 0.001, 0.9, true, 12.5, false, null)
                    .contains("tau 0.80"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void summariesCountWhatWasFound() {
        assertEquals("No retained growth found.", Wording.reportSummary(0, 0, true));
        assertEquals("Not enough data for a verdict yet.", Wording.reportSummary(3, 1, false));
        assertEquals("1 leak suspect.", Wording.reportSummary(1, 0, true));
        assertEquals("2 leak suspects and 1 JVM-level growth finding.", Wording.reportSummary(2, 1, true));
        assertEquals(
                "com.acme.Session (with 2 related classes) retains 1.5 MB more every minute and is still growing",
                Wording.suspectSummary("com.acme.Session", 1_572_864, 2, true));
        assertEquals(
                "com.acme.Session retains 1.0 KB more every minute and is still growing",
                Wording.suspectSummary("com.acme.Session", 1_024, 0, true));
        assertEquals(
                "com.acme.Session retains 1.0 KB more every minute on average over the window",
                Wording.suspectSummary("com.acme.Session", 1_024, 0, false));
    }

    @Test
    void aClassLoaderSuspectSaysWhatTheLoadersHold() {
        assertEquals(
                "Class loaders of type java.net.URLClassLoader and what they load (com.acme.plugins.OrdersJdbcDriver;"
                        + " 6 related classes in all) retain 1.5 MB more every minute and are still growing",
                Wording.loaderSuspectSummary(
                        "java.net.URLClassLoader", List.of("com.acme.plugins.OrdersJdbcDriver"), 1_572_864, 6, true));
        assertEquals(
                "Class loaders of type java.net.URLClassLoader (with 1 related class) retain 1.0 KB more every minute"
                        + " on average over the window",
                Wording.loaderSuspectSummary("java.net.URLClassLoader", List.of(), 1_024, 1, false));
    }

    @Test
    void explanationsCarryTheirCaveatsOnlyWhenTheyApply() {
        String plain = Wording.suspectExplanation(40, 12, 0.9, 1e-9, 0.95, true, 80, false, null);
        assertTrue(plain.contains("so it has not levelled off"), plain);
        String levelled = Wording.suspectExplanation(40, 12, 0.9, 1e-9, 0.2, false, 80, false, null);
        assertFalse(
                levelled.contains("not levelled off"),
                "a candidate that levelled off is not said to go on: " + levelled);
        assertFalse(plain.contains("short"), plain);
        String caveats =
                Wording.suspectExplanation(12, 2, 0.9, 1e-3, 0.95, true, 80, true, Wording.ALL_HISTOGRAM_CAVEAT);
        assertTrue(caveats.contains("The window is short"), caveats);
        assertTrue(caveats.endsWith(Wording.ALL_HISTOGRAM_CAVEAT), caveats);
    }
}

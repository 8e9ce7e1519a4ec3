package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "10s, 10000", "5m, 300000", "2h, 7200000", "0s, 0", " 30S , 30000", "1H, 3600000"})
    void parsesDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Units.parseDuration(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "s", "1.5s", "-5s", "10 s", "10sec", "1d", "", "ten seconds"})
    void refusesOtherDurationsNamingTheAllowedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
        assertEquals(
                "'" + text + "' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "512k, 524288",
        "512KB, 524288",
        "256m, 268435456",
        "256MB, 268435456",
        "1g, 1073741824",
        "1GB, 1073741824",
        "0, 0",
        "64b, 64"
    })
    void parsesSizes(String text, long bytes) {
        assertEquals(bytes, Units.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5g", "k", "-1", "12t", "1 kb", "", "lots"})
    void refusesOtherSizesNamingTheAllowedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
        assertEquals("'" + text + "' is not a size (use bytes or a number with k, m or g, e.g. 256m)", e.getMessage());
    }

    @Test
    void refusesSizesBeyondALong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize("9999999999g"));
        assertEquals("'9999999999g' is too large", e.getMessage());
        assertEquals(8_589_934_591L << 30, Units.parseSize("8589934591g"));
    }

    /** Callers compute deadlines in nanoseconds: a duration that does not fit in a long of them is refused here. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2562048h",
                "9223372037s",
                "9223372036854775807s",
                "9223372036854775807h",
                "99999999999999999999ms"
            })
    void refusesDurationsBeyondALongOfNanoseconds(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
        assertEquals("'" + text + "' is too large", e.getMessage());
        assertEquals(Duration.ofHours(2_562_047), Units.parseDuration("2562047h"));
        assertEquals(Duration.ofSeconds(9_223_372_036L), Units.parseDuration("9223372036s"));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "250, 250ms",
        "1500, 1500ms",
        "10000, 10s",
        "90000, 90s",
        "300000, 5m",
        "3660000, 61m",
        "7200000, 2h"
    })
    void formatsDurationsInTheLargestExactUnit(long millis, String text) {
        assertEquals(text, Units.formatDuration(Duration.ofMillis(millis)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1000, 59_000, 60_000, 61_000, 3_600_000, 86_400_000})
    void formattedDurationsParseBack(long millis) {
        Duration duration = Duration.ofMillis(millis);
        assertEquals(duration, Units.parseDuration(Units.formatDuration(duration)));
    }
}

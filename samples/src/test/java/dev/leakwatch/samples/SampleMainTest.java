package dev.leakwatch.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void listPrintsEverySampleOnOneLineWithItsVerdict() {
        assertEquals(SampleMain.EXIT_OK, run("--list"));

        List<String> lines = out().lines().toList();
        List<Sample> samples = SampleCatalog.all();
        assertEquals(samples.size(), lines.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            List<String> words = List.of(lines.get(i).split("\\s+", 3));
            assertEquals(sample.name(), words.get(0));
            assertEquals(sample.leaks() ? "leaks" : "control", words.get(1));
            assertEquals(sample.description(), words.get(2));
        }
        assertEquals("", err());
    }

    @Test
    void noArgumentsListsToo() {
        assertEquals(SampleMain.EXIT_OK, run());
        assertEquals(SampleCatalog.all().size(), out().lines().count());
    }

    @Test
    void unknownNameIsOneLineErrorAndExitCodeTwo() {
        assertEquals(SampleMain.EXIT_USAGE, run("no-such-sample"));

        assertEquals("", out());
        assertEquals(
                List.of("unknown sample 'no-such-sample'; --list shows the names"),
                err().lines().toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--duration", "--duration=20s", "--frobnicate"})
    void badOptionsAreUsageErrors(String option) {
        assertEquals(SampleMain.EXIT_USAGE, run("static-cache", option));
        assertEquals(1, err().lines().count());
    }

    @Test
    void badDurationIsAUsageError() {
        assertEquals(SampleMain.EXIT_USAGE, run("static-cache", "--duration", "soon"));
        assertEquals(List.of("bad duration 'soon'; " + usage()), err().lines().toList());
    }

    @Test
    void durationsTakeAUnitAndDefaultToSeconds() {
        assertEquals(Duration.ofSeconds(90), SampleMain.parseDuration(List.of("--duration", "90s")));
        assertEquals(Duration.ofSeconds(45), SampleMain.parseDuration(List.of("--duration", "45")));
        assertEquals(Duration.ofMillis(500), SampleMain.parseDuration(List.of("--duration", "500ms")));
        assertEquals(Duration.ofMinutes(2), SampleMain.parseDuration(List.of("--duration", "2m")));
        assertEquals(Duration.ofHours(1), SampleMain.parseDuration(List.of("--duration", "1h")));
        assertNull(SampleMain.parseDuration(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SampleMain.parseDuration(List.of("--duration", "-1s")));
    }

    /** A zero duration stops the loop before its first request, so this checks the start line without waiting. */
    @Test
    void aRunPrintsTheStartLineFirst() {
        assertEquals(SampleMain.EXIT_OK, run("listeners", "--duration", "0s"));

        String first = out().lines().findFirst().orElseThrow();
        assertEquals("sample listeners running, pid " + ProcessHandle.current().pid(), first);
        assertEquals("", err());
    }

    private int run(String... args) {
        return SampleMain.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String usage() {
        return "usage: SampleMain <name> [--duration <n>(ms|s|m|h)] | --list";
    }
}

package dev.leakwatch.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SampleCatalogTest {

    private static final String SAMPLES_PACKAGE = "dev.leakwatch.samples.";

    static List<Sample> leakingSamples() {
        return SampleCatalog.leaking();
    }

    static List<Sample> allSamples() {
        return SampleCatalog.all();
    }

    @Test
    void namesAreUniqueAndEachIsFoundByName() {
        Set<String> names = new HashSet<>();
        for (Sample sample : SampleCatalog.all()) {
            assertTrue(names.add(sample.name()), "duplicate name " + sample.name());
            assertEquals(Optional.of(sample), SampleCatalog.byName(sample.name()));
        }
        assertEquals(Optional.empty(), SampleCatalog.byName("no-such-sample"));
    }

    @Test
    void theSamplesTheEndToEndTestsNeedExistWithTheRightVerdict() {
        Map<String, Boolean> leaksByName =
                SampleCatalog.all().stream().collect(Collectors.toMap(Sample::name, Sample::leaks));
        assertEquals(
                Map.of(
                        "static-cache", true,
                        "listeners", true,
                        "threadlocal", true,
                        "churn-slow-leak", true,
                        "classloader", true,
                        "logger-per-request", true,
                        "bounded-lru", false,
                        "sawtooth", false,
                        "warmup-plateau", false,
                        "steady-churn", false),
                leaksByName);
    }

    @Test
    void leakingAndControlsPartitionAll() {
        assertEquals(
                SampleCatalog.all().size(),
                SampleCatalog.leaking().size() + SampleCatalog.controls().size());
        assertTrue(SampleCatalog.leaking().stream().allMatch(Sample::leaks));
        assertTrue(SampleCatalog.controls().stream().noneMatch(Sample::leaks));
    }

    @ParameterizedTest
    @MethodSource("leakingSamples")
    void leakingClassesAreTheSamplesOrTheJdksClassesThatLoad(Sample sample) throws ClassNotFoundException {
        assertFalse(sample.leakingClasses().isEmpty());
        assertEquals(sample.leakingClasses().get(0), sample.leakingClass());
        for (String name : sample.leakingClasses()) {
            assertTrue(name.startsWith(SAMPLES_PACKAGE) || name.startsWith("java."), name);
            Class<?> leaking = Class.forName(name, false, getClass().getClassLoader());
            // Class.forName also accepts some names that are not binary names; the finding will print getName().
            assertEquals(name, leaking.getName());
        }
    }

    @ParameterizedTest
    @MethodSource("leakingSamples")
    void leakingMethodIsDeclaredByTheProgram(Sample sample) {
        int dot = sample.leakingMethod().lastIndexOf('.');
        String owner = sample.leakingMethod().substring(0, dot);
        String method = sample.leakingMethod().substring(dot + 1);
        assertEquals(sample.program().getName(), owner);
        assertTrue(
                Arrays.stream(sample.program().getDeclaredMethods())
                        .anyMatch(m -> m.getName().equals(method)),
                owner + " declares no method " + method);
    }

    @Test
    void controlsNameNoLeak() {
        for (Sample control : SampleCatalog.controls()) {
            assertEquals(List.of(), control.leakingClasses());
            assertNull(control.leakingClass());
            assertNull(control.leakingMethod());
        }
    }

    /**
     * Runs each program for a fixed number of requests, not a time: it catches a program that cannot start (the class
     * loader sample reading its plugin from {@code target/classes}) or throws while handling requests.
     */
    @ParameterizedTest
    @MethodSource("allSamples")
    void everyProgramStartsAndHandlesRequests(Sample sample) {
        try (SampleProgram program = sample.newProgram()) {
            assertTrue(program.requestsPerSecond() > 0);
            for (long requestId = 0; requestId < 2_000; requestId++) {
                program.handleRequest(requestId);
            }
        }
    }

    @Test
    void aLeakMustNameItsClassesAndMethodAndAControlNeitherNorAFinding() {
        Class<IllegalArgumentException> invalid = IllegalArgumentException.class;
        List<String> none = List.of();
        assertThrows(invalid, () -> new Sample("x", "d", true, List.of(), "A.m", SampleProgram.class, none));
        assertThrows(invalid, () -> new Sample("x", "d", true, List.of("A"), null, SampleProgram.class, none));
        assertThrows(invalid, () -> new Sample("x", "d", false, List.of("A"), null, SampleProgram.class, none));
        assertThrows(invalid, () -> new Sample("x", "d", false, List.of(), "A.m", SampleProgram.class, none));
        assertThrows(
                invalid,
                () -> new Sample("x", "d", false, List.of(), null, SampleProgram.class, List.of("class-loading")));
    }

    /** Issue 13: the class-loader sample must raise a class-loading finding, naming the loader type it leaks. */
    @Test
    void theClassLoaderSampleExpectsAClassLoadingFinding() {
        Sample classLoader = SampleCatalog.byName("classloader").orElseThrow();
        assertEquals(List.of("class-loading"), classLoader.findings());
        assertTrue(classLoader.leakingClass().endsWith("ClassLoader"), classLoader.leakingClass());
        assertTrue(SampleCatalog.all().stream()
                .filter(sample -> sample != classLoader)
                .allMatch(sample -> sample.findings().isEmpty()));
    }
}

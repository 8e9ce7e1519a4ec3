package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.leakwatch.agent.instrument.TestClasses.DefiningLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * javac's own output, for an old and a new class file version, through an instrumenting class loader: every class
 * verifies, every fixture computes exactly what the original computes, and the hook sees each allocation once, after
 * its constructor, with the site id of the line in the source that allocated it.
 */
@ResourceLock("dev.leakwatch.bootstrap.AllocationHook")
class FixtureInstrumentationTest {

    static Stream<Arguments> releases() {
        return Stream.of(
                arguments(8, List.of("java8"), List.of("fixture.Allocations")),
                arguments(17, List.of("java8", "java17"), List.of("fixture.Allocations", "fixture.Modern")));
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void instrumentedFixturesBehaveLikeTheOriginalsAndReportTheirSites(
            int release, List<String> dirs, List<String> fixtures) throws Exception {
        List<Path> sources =
                dirs.stream().flatMap(d -> TestClasses.sources(d).stream()).collect(Collectors.toList());
        Map<String, byte[]> classes = TestClasses.compile(sources, release);
        for (byte[] bytes : classes.values()) {
            assertEquals(44 + release, majorVersion(bytes));
        }
        SiteRegistry registry = new SiteRegistry();
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(registry, true);
        DefiningLoader original = new DefiningLoader(classes, bytes -> bytes);
        DefiningLoader instrumented = new DefiningLoader(classes, instrumenter::instrument);
        for (String name : classes.keySet()) {
            original.link(name);
            instrumented.link(name); // verifies: a VerifyError fails the test here
        }
        // All of javac's allocations are the recognised pattern, except the two of Modern.tryInSwitch (see there).
        assertEquals(release >= 17 ? List.of("fixture.Modern (2)") : List.of(), classesWithSkippedSites(classes));
        assertTrue(
                instrumenter.instrumentedSites() >= allocationInstructions(classes.values()),
                "every allocation instruction hooked: " + instrumenter.instrumentedSites());

        for (String fixture : fixtures) {
            String expected = run(original, fixture);
            List<Recording.Sample> samples;
            String actual;
            try (Recording recording = Recording.start(FixtureInstrumentationTest::assertConstructed)) {
                actual = run(instrumented, fixture);
                samples = recording.samples();
            }
            assertEquals(expected, actual, fixture + " computes the same result");
            assertSamplesMatchTheirSites(registry, samples);
            assertMarkedSitesSeen(registry, samples, source(sources, fixture));
        }
    }

    /** Each object is recorded once (a constructor chain through this(...) and super(...) is one allocation). */
    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void anObjectBuiltThroughThisAndSuperIsRecordedOnceAtItsCaller(
            int release, List<String> dirs, List<String> fixtures) throws Exception {
        Map<String, byte[]> classes = TestClasses.compile(TestClasses.sources("java8"), release);
        SiteRegistry registry = new SiteRegistry();
        DefiningLoader instrumented =
                new DefiningLoader(classes, new AllocationInstrumenter(registry, true)::instrument);
        List<Recording.Sample> samples;
        try (Recording recording = Recording.start()) {
            run(instrumented, "fixture.Allocations");
            samples = recording.samples();
        }
        Map<Object, List<Integer>> subs = new IdentityHashMap<>();
        for (Recording.Sample sample : samples) {
            if (sample.object().getClass().getName().equals("fixture.Allocations$Sub")) {
                subs.computeIfAbsent(sample.object(), o -> new ArrayList<>()).add(sample.siteId());
            }
        }
        // new Sub(3), new Sub(0), new Sub("abcd") and, inside that one's this(...) arguments, new Sub(4).
        assertEquals(4, subs.size());
        for (List<Integer> sites : subs.values()) {
            assertEquals(1, sites.size(), "recorded once");
            HookedSite site = registry.site(sites.get(0));
            assertTrue(
                    site.methodName().equals("run")
                            || site.methodName().equals("<init>")
                                    && site.className().equals("fixture.Allocations$Sub")
                                    && site.descriptor().equals("(Ljava/lang/String;)V"),
                    site::toString);
        }
    }

    static String run(ClassLoader loader, String fixture) throws Exception {
        try {
            return (String)
                    Class.forName(fixture, true, loader).getMethod("run").invoke(null);
        } catch (InvocationTargetException e) {
            throw new AssertionError(fixture + ".run() threw", e.getCause());
        }
    }

    /** Runs inside the hook: a {@code new} is reported only after its constructor returned. */
    private static void assertConstructed(Object object, int siteId) {
        if (object.getClass().getName().equals("fixture.Allocations$Wide")) {
            try {
                Field l = object.getClass().getDeclaredField("l");
                l.setAccessible(true);
                if (l.getLong(object) == 0) {
                    throw new AssertionError("Wide recorded before its constructor ran");
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The site's declared type is the object's type (or a supertype where only the run-time type can tell). */
    private static void assertSamplesMatchTheirSites(SiteRegistry registry, List<Recording.Sample> samples) {
        for (Recording.Sample sample : samples) {
            HookedSite site = registry.site(sample.siteId());
            assertNotNull(site, "site " + sample.siteId());
            String actual = sample.object().getClass().getTypeName();
            String declared = site.allocatedType();
            boolean compatible = declared.equals(actual)
                    || declared.equals("java.lang.Object")
                    || declared.equals("java.lang.Object[]") && sample.object() instanceof Object[];
            assertTrue(compatible, site.frame() + " declared " + declared + " but allocated " + actual);
            assertTrue(site.line() > 0, site::frame);
        }
    }

    private static void assertMarkedSitesSeen(SiteRegistry registry, List<Recording.Sample> samples, Path source) {
        String file = source.getFileName().toString();
        Map<Integer, Set<String>> seen = new TreeMap<>();
        for (Recording.Sample sample : samples) {
            HookedSite site = registry.site(sample.siteId());
            if (file.equals(site.sourceFile())) {
                seen.computeIfAbsent(site.line(), l -> new TreeSet<>()).add(site.allocatedType());
            }
        }
        Map<Integer, Set<String>> expected = markers(source);
        assertTrue(expected.size() > 20 || file.equals("Modern.java"), "markers found: " + expected.size());
        List<String> missing = new ArrayList<>();
        expected.forEach((line, types) -> {
            for (String type : types) {
                if (!seen.getOrDefault(line, Collections.emptySet()).contains(type)) {
                    missing.add(file + ":" + line + " " + type + " (seen there: " + seen.get(line) + ")");
                }
            }
        });
        assertTrue(missing.isEmpty(), "marked allocations not reported at their line:\n" + String.join("\n", missing));
    }

    /** {@code //@ T1, T2} at the end of a line: allocations of those types happen on that line. */
    static Map<Integer, Set<String>> markers(Path source) {
        Map<Integer, Set<String>> markers = new TreeMap<>();
        try {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                int at = lines.get(i).indexOf("//@ ");
                if (at >= 0) {
                    Set<String> types = new TreeSet<>();
                    for (String type : lines.get(i).substring(at + 4).split(",")) {
                        types.add(type.trim());
                    }
                    markers.put(i + 1, types);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return markers;
    }

    private static Path source(List<Path> sources, String fixture) {
        String file = fixture.substring(fixture.lastIndexOf('.') + 1) + ".java";
        return sources.stream()
                .filter(p -> p.getFileName().toString().equals(file))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> classesWithSkippedSites(Map<String, byte[]> classes) {
        List<String> names = new ArrayList<>();
        classes.forEach((name, bytes) -> {
            AllocationInstrumenter single = new AllocationInstrumenter(new SiteRegistry(), true);
            single.instrument(bytes);
            if (single.skippedSites() > 0) {
                names.add(name + " (" + single.skippedSites() + ")");
            }
        });
        return names;
    }

    static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
    }

    /** NEW, NEWARRAY, ANEWARRAY and MULTIANEWARRAY instructions in the classes. */
    static long allocationInstructions(Iterable<byte[]> classes) {
        long[] count = {0};
        for (byte[] bytes : classes) {
            OpenedClassReader.of(bytes)
                    .accept(
                            new ClassVisitor(OpenedClassReader.ASM_API) {
                                @Override
                                public MethodVisitor visitMethod(
                                        int access,
                                        String name,
                                        String descriptor,
                                        String signature,
                                        String[] exceptions) {
                                    return new MethodVisitor(OpenedClassReader.ASM_API) {
                                        @Override
                                        public void visitTypeInsn(int opcode, String type) {
                                            if (opcode == Opcodes.NEW || opcode == Opcodes.ANEWARRAY) {
                                                count[0]++;
                                            }
                                        }

                                        @Override
                                        public void visitIntInsn(int opcode, int operand) {
                                            if (opcode == Opcodes.NEWARRAY) {
                                                count[0]++;
                                            }
                                        }

                                        @Override
                                        public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                                            count[0]++;
                                        }
                                    };
                                }
                            },
                            ClassReader.SKIP_FRAMES);
        }
        return count[0];
    }
}

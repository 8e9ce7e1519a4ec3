package dev.leakwatch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gcc is optional (issue 16): a copy of the source tree, built by Maven with nothing on the PATH but {@code java},
 * still gives an agent jar, with one warning that the native heap sampler is left out, and that agent records a
 * program by instrumenting its allocation sites instead.
 */
class BuildWithoutGccIT {
    private static final Path SOURCE_ROOT = Path.of(System.getProperty("leakwatch.sourceRoot"));
    private static final Path MAVEN_HOME = Path.of(System.getProperty("leakwatch.mavenHome"));
    private static final String LOCAL_REPOSITORY = System.getProperty("leakwatch.localRepository");
    /** Left out of the copy: build output and version control, which the build does not read. */
    private static final Set<String> NOT_COPIED = Set.of("target", ".git");

    private static final long BUILD_TIMEOUT_SECONDS = 600;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    @Test
    void withoutGccTheBuildSucceedsAndTheAgentInstrumentsInstead(@TempDir Path workDir) throws Exception {
        Path source = copyOfSources(workDir.resolve("source"));
        Path javaOnly = Files.createDirectory(workDir.resolve("path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.createSymbolicLink(javaOnly.resolve("java"), java);

        IsolatedProcess build = IsolatedProcess.run(
                source,
                javaOnly.toString(),
                BUILD_TIMEOUT_SECONDS,
                maven(java, source, "-pl", "bootstrap,format,analyzer,cli,samples,agent"));

        assertEquals(0, build.exitCode(), () -> "the build without gcc failed:\n" + build.output());
        assertTrue(
                build.output()
                        .contains("leakwatch: no gcc on the PATH, so the agent is built without its native heap"
                                + " sampler"),
                () -> "no warning that the native sampler is left out:\n" + build.output());
        Path agentJar = source.resolve("agent/target/leakwatch-agent.jar");
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            assertFalse(
                    jar.stream().anyMatch(entry -> entry.getName().endsWith(".so")),
                    "the agent jar built without gcc holds a native library");
        }

        Path output = workDir.resolve("recording");
        IsolatedProcess recorded = IsolatedProcess.run(
                workDir,
                javaOnly.toString(),
                RUN_TIMEOUT_SECONDS,
                java.toString(),
                "-javaagent:" + agentJar + "=output=" + output + ",interval=1s",
                "-cp",
                System.getProperty("leakwatch.samplesJar"),
                "dev.leakwatch.samples.SampleMain",
                "static-cache",
                "--duration",
                "5s");

        assertEquals(0, recorded.exitCode(), () -> "the sample under the agent:\n" + recorded.output());
        assertTrue(
                recorded.output().contains("the JVM's heap sampler is unavailable"),
                () -> "the agent did not say it falls back:\n" + recorded.output());
        assertTrue(
                recorded.output().contains(" classes instrumented ("),
                () -> "the agent did not instrument allocation sites:\n" + recorded.output());
        try (Stream<Path> files = Files.list(output)) {
            assertTrue(
                    files.anyMatch(file -> file.getFileName().toString().startsWith("snapshots-")),
                    "no snapshot recorded in " + output);
        }
    }

    /** Maven run by {@code java} itself, so that its launcher script needs no tool from the PATH. */
    private static String[] maven(Path java, Path project, String... goalsAndOptions) throws IOException {
        Path classworlds;
        try (Stream<Path> boot = Files.list(MAVEN_HOME.resolve("boot"))) {
            classworlds = boot.filter(jar -> jar.getFileName().toString().startsWith("plexus-classworlds"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no plexus-classworlds in " + MAVEN_HOME));
        }
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-classpath",
                classworlds.toString(),
                "-Dclassworlds.conf=" + MAVEN_HOME.resolve("bin/m2.conf"),
                "-Dmaven.home=" + MAVEN_HOME,
                "-Dmaven.multiModuleProjectDirectory=" + project,
                "org.codehaus.plexus.classworlds.launcher.Launcher",
                "-B",
                "-ntp",
                "-o",
                "-Dmaven.repo.local=" + LOCAL_REPOSITORY,
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "package"));
        command.addAll(List.of(goalsAndOptions));
        return command.toArray(String[]::new);
    }

    private static Path copyOfSources(Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCE_ROOT)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = SOURCE_ROOT.relativize(file);
                if (relative.toString().isEmpty() || isLeftOut(relative)) {
                    continue;
                }
                Path target = copy.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(file)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static boolean isLeftOut(Path relative) {
        for (Path part : relative) {
            if (NOT_COPIED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}

package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scan decides which methods the transformer decodes at all: a method it misses would keep allocation sites
 * unhooked without anyone noticing. So, over every method of real code, the methods in which the visitor hooks a
 * site (when it visits everything) must all be in the scan's list.
 */
class AllocationScanTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"groovy.lang.GroovyObject", "org.h2.Driver", "com.fasterxml.jackson.databind.ObjectMapper"})
    void everyMethodWithAHookedSiteInARealJarIsScannedAsAllocating(String classInJar) throws Exception {
        Path jar = Path.of(Class.forName(classInJar, false, getClass().getClassLoader())
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<byte[]> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    classes.add(file.getInputStream(entry).readAllBytes());
                }
            }
        }
        checkSuperset(jar.getFileName().toString(), classes, true);
    }

    /** The JDK's collections and strings: instrumented by default, and a different compiler's output. */
    @Test
    void everyMethodWithAHookedSiteInJavaUtilAndJavaLangIsScannedAsAllocating() throws IOException {
        List<byte[]> classes = new ArrayList<>();
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of())) {
            for (String dir : List.of("/modules/java.base/java/util", "/modules/java.base/java/lang")) {
                try (Stream<Path> files = Files.walk(jrt.getPath(dir))) {
                    for (Path file :
                            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        classes.add(Files.readAllBytes(file));
                    }
                }
            }
        }
        checkSuperset("JDK java.util + java.lang", classes, false);
    }

    @Test
    void aClassWithoutAllocationsIsReturnedAsItIs() {
        byte[] classFile = bytesOf(NoAllocation.class);
        assertEquals(Set.of(), AllocationScan.methodsThatMayAllocate(OpenedClassReader.of(classFile)));
        assertTrue(new AllocationInstrumenter(new SiteRegistry(), true).instrument(classFile) == classFile);
    }

    @Test
    void aMethodTheWalkCannotFollowIsListedSoThatASMDecodesIt() {
        byte[] classFile = bytesOf(NoAllocation.class).clone();
        var reader = OpenedClassReader.of(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        MethodCode.forEach(reader, (nameAndDescriptor, codeStart, codeLength) -> {
            if (MethodCode.name(reader, nameAndDescriptor, buffer).equals("next(I)I")) {
                classFile[codeStart] = (byte) 0xcb; // no such opcode
            }
        });
        assertEquals(Set.of("next(I)I"), AllocationScan.methodsThatMayAllocate(OpenedClassReader.of(classFile)));
    }

    @Test
    void switchesAndWideInstructionsAreWalkedToTheEndOfTheCode() {
        byte[] classFile = bytesOf(Switches.class);
        assertEquals(
                Set.of("afterSwitches(I)Ljava/lang/Object;"),
                AllocationScan.methodsThatMayAllocate(OpenedClassReader.of(classFile)),
                "the only allocation comes after a tableswitch and a lookupswitch at every alignment");
    }

    private static byte[] bytesOf(Class<?> type) {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (var in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void checkSuperset(String label, List<byte[]> classes, boolean hookArraysCopyCalls) {
        int scannedMethods = 0;
        int allocatingMethods = 0;
        List<String> missed = new ArrayList<>();
        for (byte[] classFile : classes) {
            ClassReader reader = OpenedClassReader.of(classFile);
            Set<String> scanned = AllocationScan.methodsThatMayAllocate(reader);
            Set<String> everyMethod = CodeLengths.of(reader).keySet();
            SiteRegistry registry = new SiteRegistry(1 << 20);
            reader.accept(
                    new AllocationClassVisitor(
                            new ClassWriter(reader, 0),
                            registry,
                            hookArraysCopyCalls,
                            everyMethod,
                            Set.of(),
                            counters -> {}),
                    0);
            Set<String> hooked = new HashSet<>();
            for (int id = 1; id <= registry.size(); id++) {
                HookedSite site = registry.site(id);
                hooked.add(site.methodName() + site.descriptor());
            }
            for (String method : new TreeSet<>(hooked)) {
                if (!scanned.contains(method)) {
                    missed.add(reader.getClassName() + "." + method);
                }
            }
            scannedMethods += everyMethod.size();
            allocatingMethods += scanned.size();
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "[scan] %s: %d methods with code, %d may allocate (%.0f%%)%n",
                label,
                scannedMethods,
                allocatingMethods,
                100.0 * allocatingMethods / scannedMethods);
        assertEquals(List.of(), missed, "methods with hooked sites that the scan skipped");
        assertTrue(
                allocatingMethods < scannedMethods,
                "the scan leaves some methods out: " + allocatingMethods + " of " + scannedMethods);
    }

    static final class NoAllocation {
        private int count;

        int next(int step) {
            count += step;
            return count;
        }
    }

    @SuppressWarnings("unused")
    static final class Switches {
        static int tables(int key) {
            long wideLocal0 = 0;
            int total = 0;
            int a = 1;
            int b = 2;
            int c = 3;
            int d = 4;
            int e = 5;
            int f = 6;
            int g = 7;
            int h = 8;
            int i2 = 9;
            switch (key) {
                case 0:
                    total += a;
                    break;
                case 1:
                    total += b;
                    break;
                case 2:
                    total += c;
                    break;
                case 3:
                    total += d;
                    break;
                default:
                    total += e;
            }
            switch (key) {
                case 10:
                    total -= f;
                    break;
                case 1000:
                    total -= g;
                    break;
                case 100000:
                    total -= h;
                    break;
                default:
                    total -= i2;
            }
            return total + (int) wideLocal0;
        }

        static Object afterSwitches(int key) {
            int shift = key & 3;
            shift += 1000; // iinc past a byte: wide iinc
            int result;
            switch (shift) {
                case 1000:
                    result = 10;
                    break;
                case 1001:
                    result = 11;
                    break;
                case 1002:
                    result = 12;
                    break;
                default:
                    result = 13;
            }
            switch (key) {
                case -5:
                    result += 1;
                    break;
                case 77:
                    result += 2;
                    break;
                default:
                    result += 3;
            }
            return new int[result];
        }
    }
}

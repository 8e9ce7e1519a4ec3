package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.instrument.TestClasses.DefiningLoader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Bytecode javac does not write (branches before super(), class files without stack map frames, subroutines,
 * uninitialized objects in locals, methods near the 64 KB limit), written with ASM: instrumented classes verify and
 * behave like the originals; patterns that cannot be proven safe are skipped, not broken.
 */
@ResourceLock("dev.leakwatch.bootstrap.AllocationHook")
class GeneratedBytecodeTest {

    /** {@code <init>(I)}: an if/else allocating before super(); frames carry uninitializedThis. */
    @Test
    void constructorWithBranchesBeforeSuper() throws Exception {
        byte[] bytes = generate("gen/Branchy", Opcodes.V17, ClassWriter.COMPUTE_FRAMES, cw -> {
            cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "list", "Ljava/util/List;", null, null)
                    .visitEnd();
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
            mv.visitCode();
            Label orElse = new Label();
            Label join = new Label();
            line(mv, 10);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitJumpInsn(Opcodes.IFLE, orElse);
            line(mv, 11);
            newObject(mv, "java/util/ArrayList");
            mv.visitVarInsn(Opcodes.ASTORE, 2);
            mv.visitJumpInsn(Opcodes.GOTO, join);
            mv.visitLabel(orElse);
            line(mv, 12);
            newObject(mv, "java/util/LinkedList");
            mv.visitVarInsn(Opcodes.ASTORE, 2);
            mv.visitLabel(join);
            // A branch with uninitializedThis on the operand stack, and an array allocated before super().
            line(mv, 13);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            Label big = new Label();
            Label call = new Label();
            mv.visitJumpInsn(Opcodes.IFGT, big);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitJumpInsn(Opcodes.GOTO, call);
            mv.visitLabel(big);
            mv.visitInsn(Opcodes.ICONST_2);
            mv.visitLabel(call);
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
            mv.visitInsn(Opcodes.POP);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            mv.visitFieldInsn(Opcodes.PUTFIELD, "gen/Branchy", "list", "Ljava/util/List;");
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            staticFactory(cw, "gen/Branchy", "(I)V", "list", "Ljava/util/List;", Opcodes.ILOAD);
        });
        SiteRegistry registry = new SiteRegistry();
        Result result = compare("gen.Branchy", bytes, registry, new Object[] {1}, new Object[] {0});
        assertEquals(0, result.skipped);
        assertTrue(
                result.types.containsAll(
                        List.of("java.util.ArrayList", "java.util.LinkedList", "int[]", "gen.Branchy")),
                result.types::toString);
        assertTrue(result.lines.containsAll(Set.of(11, 12, 13)), result.lines::toString);
    }

    /**
     * A Java 1.4 class file: no stack map frames, so depths come from jump targets alone, and a JSR subroutine
     * that allocates.
     */
    @Test
    void oldClassFileWithoutFramesAndWithSubroutines() throws Exception {
        byte[] bytes = generate("gen/Old", Opcodes.V1_4, ClassWriter.COMPUTE_MAXS, cw -> {
            MethodVisitor mv = cw.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)Ljava/lang/Object;", null, null);
            mv.visitCode();
            Label subroutine = new Label();
            Label orElse = new Label();
            Label join = new Label();
            line(mv, 20);
            mv.visitJumpInsn(Opcodes.JSR, subroutine);
            line(mv, 21);
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitJumpInsn(Opcodes.IFLE, orElse);
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuffer");
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn("positive");
            mv.visitMethodInsn(
                    Opcodes.INVOKESPECIAL, "java/lang/StringBuffer", "<init>", "(Ljava/lang/String;)V", false);
            mv.visitJumpInsn(Opcodes.GOTO, join);
            mv.visitLabel(orElse);
            line(mv, 22);
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuffer");
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn("other");
            mv.visitMethodInsn(
                    Opcodes.INVOKESPECIAL, "java/lang/StringBuffer", "<init>", "(Ljava/lang/String;)V", false);
            mv.visitLabel(join);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitLabel(subroutine);
            line(mv, 23);
            mv.visitVarInsn(Opcodes.ASTORE, 1);
            newObject(mv, "java/util/ArrayList");
            mv.visitInsn(Opcodes.POP);
            mv.visitInsn(Opcodes.ICONST_2);
            mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/String");
            mv.visitInsn(Opcodes.POP);
            mv.visitVarInsn(Opcodes.RET, 1);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        Result result = compare("gen.Old", bytes, new SiteRegistry(), new Object[] {1}, new Object[] {-1});
        assertEquals(0, result.skipped);
        assertEquals(4, result.instrumented);
        assertTrue(
                result.types.containsAll(
                        List.of("java.lang.StringBuffer", "java.util.ArrayList", "java.lang.String[]")),
                result.types::toString);
    }

    /** Valid bytecode outside javac's NEW/DUP pattern: left alone, still verifies and behaves the same. */
    @Test
    void unrecognisedNewPatternsAreSkippedNotBroken() throws Exception {
        byte[] bytes = generate("gen/Odd", Opcodes.V17, ClassWriter.COMPUTE_FRAMES, cw -> {
            MethodVisitor mv = cw.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)Ljava/lang/Object;", null, null);
            mv.visitCode();
            // 1. NEW; DUP; ASTORE: the uninitialized copy goes to a local.
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            mv.visitInsn(Opcodes.DUP);
            mv.visitVarInsn(Opcodes.ASTORE, 1);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
            // 2. NEW without DUP.
            mv.visitTypeInsn(Opcodes.NEW, "java/util/ArrayList");
            mv.visitVarInsn(Opcodes.ASTORE, 2);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/ArrayList", "<init>", "()V", false);
            // 3. NEW; DUP; then DUP2/POP2 reach down to the two copies before <init>.
            mv.visitTypeInsn(Opcodes.NEW, "java/util/LinkedList");
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.DUP2);
            mv.visitInsn(Opcodes.POP2);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/LinkedList", "<init>", "()V", false);
            mv.visitVarInsn(Opcodes.ASTORE, 3);
            // 4. A javac-style NEW next to them is still hooked.
            newObject(mv, "java/util/HashMap");
            mv.visitVarInsn(Opcodes.ASTORE, 4);
            mv.visitVarInsn(Opcodes.ALOAD, 1);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL,
                    "java/lang/StringBuilder",
                    "append",
                    "(Ljava/lang/Object;)Ljava/lang/StringBuilder;",
                    false);
            mv.visitVarInsn(Opcodes.ALOAD, 3);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL,
                    "java/lang/StringBuilder",
                    "append",
                    "(Ljava/lang/Object;)Ljava/lang/StringBuilder;",
                    false);
            mv.visitVarInsn(Opcodes.ALOAD, 4);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL,
                    "java/lang/StringBuilder",
                    "append",
                    "(Ljava/lang/Object;)Ljava/lang/StringBuilder;",
                    false);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        Result result = compare("gen.Odd", bytes, new SiteRegistry(), new Object[] {0});
        assertEquals(3, result.skipped);
        assertEquals(1, result.instrumented);
        assertEquals(List.of("java.util.HashMap"), result.types);
    }

    /** Groovy's {@code v; NEW Reference; DUP_X1; SWAP; INVOKESPECIAL <init>(v)} for a captured variable. */
    @Test
    void groovysDupX1SwapPattern() throws Exception {
        byte[] bytes = generate("gen/Captured", Opcodes.V1_8, ClassWriter.COMPUTE_FRAMES, cw -> {
            MethodVisitor mv = cw.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)Ljava/lang/Object;", null, null);
            mv.visitCode();
            line(mv, 40);
            mv.visitLdcInsn("captured");
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            mv.visitInsn(Opcodes.DUP_X1);
            mv.visitInsn(Opcodes.SWAP);
            mv.visitMethodInsn(
                    Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        Result result = compare("gen.Captured", bytes, new SiteRegistry(), new Object[] {0});
        assertEquals(0, result.skipped);
        assertEquals(List.of("java.lang.StringBuilder"), result.types);
    }

    /** The premise of every verification in these tests: a non-bootstrap loader rejects what the hook must avoid. */
    @Test
    void theVerifierRejectsAnUninitializedObjectPassedToTheHook() {
        byte[] bytes = generate("gen/Broken", Opcodes.V17, ClassWriter.COMPUTE_MAXS, cw -> {
            MethodVisitor mv = cw.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)Ljava/lang/Object;", null, null);
            mv.visitCode();
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/Object");
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC,
                    AllocationMethodVisitor.HOOK_OWNER,
                    AllocationMethodVisitor.HOOK_NAME,
                    AllocationMethodVisitor.HOOK_DESCRIPTOR,
                    false);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        DefiningLoader loader = new DefiningLoader(Map.of("gen.Broken", bytes), b -> b);
        assertThrows(VerifyError.class, () -> loader.link("gen.Broken"));
    }

    /**
     * 5,900 allocating lines make about 23.6 KB of code and 64.9 KB once instrumented (11 bytes per site): it
     * fits and runs. 6,000 would not: that class keeps its original bytes.
     */
    @Test
    void methodsNearThe64KLimit() throws Throwable {
        SiteRegistry registry = new SiteRegistry();
        byte[] fits = hugeMethod("gen/HugeFits", 5_900);
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(registry, false);
        byte[] instrumented = instrumenter.instrument(fits);
        assertTrue(
                codeLength(instrumented, "big") > 64_000 && codeLength(instrumented, "big") <= 65_535,
                "code length " + codeLength(instrumented, "big"));
        DefiningLoader loader = new DefiningLoader(Map.of("gen.HugeFits", fits), instrumenter::instrument);
        MethodHandle big =
                MethodHandles.lookup().findStatic(loader.link("gen.HugeFits"), "big", MethodType.methodType(int.class));
        List<Recording.Sample> samples;
        try (Recording recording = Recording.start()) {
            assertEquals(5_900, (int) big.invoke());
            samples = recording.samples();
        }
        assertEquals(5_900, samples.size());
        Set<Integer> lines = new HashSet<>();
        for (Recording.Sample sample : samples) {
            lines.add(registry.site(sample.siteId()).line());
        }
        assertEquals(5_900, lines.size(), "one site per line");

        byte[] tooBig = hugeMethod("gen/HugeOverflows", 6_000);
        assertThrows(MethodTooLargeException.class, () -> instrumenter.instrument(tooBig));
        assertSame(tooBig, instrumenter.instrumentOrOriginal(tooBig));
    }

    /**
     * HotSpot never compiles a method longer than 8,000 bytes: one that only our sites would push past that (here
     * 7,604 bytes, 20,904 instrumented) keeps its original code, or it would run interpreted for good. A method
     * already past the limit is instrumented as usual ({@link #methodsNearThe64KLimit}).
     */
    @Test
    void aMethodThatItsSitesWouldPushPastTheCompileLimitIsLeftAlone() {
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(new SiteRegistry(), false);
        byte[] nearLimit = hugeMethod("gen/NearCompileLimit", 1_900);
        assertEquals(7_604, codeLength(nearLimit, "big"));
        assertSame(nearLimit, instrumenter.instrument(nearLimit), "nothing else in the class to instrument");
        assertEquals(0, instrumenter.instrumentedSites(), "the sites left alone are not counted as hooked");

        byte[] small = hugeMethod("gen/WellUnderTheLimit", 100);
        byte[] instrumented = instrumenter.instrument(small);
        assertTrue(codeLength(instrumented, "big") > codeLength(small, "big"), "small methods are instrumented");
        assertEquals(100, instrumenter.instrumentedSites());
    }

    /** Instrumented code also runs inside a hidden class (which the transformer itself never sees). */
    @Test
    void instrumentedCodeRunsInAHiddenClass() throws Throwable {
        byte[] bytes = generate(
                "dev/leakwatch/agent/instrument/HiddenFixture", Opcodes.V17, ClassWriter.COMPUTE_FRAMES, cw -> {
                    MethodVisitor mv = cw.visitMethod(
                            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "()Ljava/lang/Object;", null, null);
                    mv.visitCode();
                    line(mv, 7);
                    newObject(mv, "java/util/ArrayList");
                    mv.visitInsn(Opcodes.DUP);
                    mv.visitIntInsn(Opcodes.BIPUSH, 3);
                    mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_LONG);
                    mv.visitMethodInsn(
                            Opcodes.INVOKEVIRTUAL, "java/util/ArrayList", "add", "(Ljava/lang/Object;)Z", false);
                    mv.visitInsn(Opcodes.POP);
                    mv.visitInsn(Opcodes.ARETURN);
                    mv.visitMaxs(0, 0);
                    mv.visitEnd();
                });
        SiteRegistry registry = new SiteRegistry();
        byte[] instrumented = new AllocationInstrumenter(registry, false).instrument(bytes);
        Class<?> hidden =
                MethodHandles.lookup().defineHiddenClass(instrumented, true).lookupClass();
        assertTrue(hidden.isHidden());
        MethodHandle make = MethodHandles.lookup().findStatic(hidden, "make", MethodType.methodType(Object.class));
        List<Recording.Sample> samples;
        try (Recording recording = Recording.start()) {
            assertEquals(1, ((List<?>) make.invoke()).size());
            samples = recording.samples();
        }
        assertEquals(
                List.of("java.util.ArrayList", "long[]"),
                samples.stream()
                        .map(s -> registry.site(s.siteId()).allocatedType())
                        .toList());
        assertEquals(
                "dev.leakwatch.agent.instrument.HiddenFixture.make(HiddenFixture.java:7)",
                registry.site(samples.get(0).siteId()).frame());
    }

    /**
     * C2 replaces Arrays.copyOf(U[], int, Class) (ArrayList's growth path) by an intrinsic: its body gets no hook,
     * its call sites do, so a copy is counted once whether the intrinsic or the bytecode runs.
     */
    @Test
    void intrinsicAllocatorsAreHookedAtTheirCallSitesNotInTheirBodies() throws IOException {
        Map<String, Integer> arrays = hooksPerMethod(jdkClass("java/util/Arrays"));
        assertEquals(0, arrays.get("copyOf([Ljava/lang/Object;ILjava/lang/Class;)[Ljava/lang/Object;"));
        assertEquals(0, arrays.get("copyOfRange([Ljava/lang/Object;IILjava/lang/Class;)[Ljava/lang/Object;"));
        assertEquals(1, arrays.get("copyOf([Ljava/lang/Object;I)[Ljava/lang/Object;"), "hooked after the call");
        // Its NEWARRAY (newer JDKs also allocate an exception message and clone() on some paths).
        assertTrue(arrays.get("copyOf([II)[I") >= 1);
        assertTrue(arrays.get("copyOfRange([BII)[B") >= 1);
        Map<String, Integer> utf16 = hooksPerMethod(jdkClass("java/lang/StringUTF16"));
        assertEquals(0, utf16.get("toBytes([CII)[B"));
        assertTrue(hooksPerMethod(jdkClass("java/util/ArrayList")).get("grow(I)[Ljava/lang/Object;") >= 1);
        assertEquals(
                1,
                hooksPerMethod(jdkClass("java/util/HashMap"))
                        .get(
                                "newNode(ILjava/lang/Object;Ljava/lang/Object;Ljava/util/HashMap$Node;)Ljava/util/HashMap$Node;"));
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Result(List<String> types, Set<Integer> lines, long instrumented, long skipped) {}

    /**
     * Links (verifies) original and instrumented class, calls {@code make} with each argument list on both and
     * compares the results' string forms; returns what the hook saw in the instrumented runs.
     */
    private static Result compare(String name, byte[] bytes, SiteRegistry registry, Object[]... argumentLists)
            throws Exception {
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(registry, false);
        DefiningLoader original = new DefiningLoader(Map.of(name, bytes), b -> b);
        DefiningLoader instrumented = new DefiningLoader(Map.of(name, bytes), instrumenter::instrument);
        Class<?> originalType = original.link(name);
        Class<?> instrumentedType = instrumented.link(name);
        List<String> types = new ArrayList<>();
        Set<Integer> lines = new HashSet<>();
        for (Object[] arguments : argumentLists) {
            Class<?>[] parameterTypes = new Class<?>[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                parameterTypes[i] = int.class;
            }
            Object expected = originalType.getMethod("make", parameterTypes).invoke(null, arguments);
            List<Recording.Sample> samples;
            Object actual;
            try (Recording recording = Recording.start()) {
                actual = instrumentedType.getMethod("make", parameterTypes).invoke(null, arguments);
                samples = recording.samples();
            }
            assertEquals(describe(expected), describe(actual));
            for (Recording.Sample sample : samples) {
                HookedSite site = registry.site(sample.siteId());
                types.add(site.allocatedType());
                lines.add(site.line());
            }
        }
        return new Result(types, lines, instrumenter.instrumentedSites(), instrumenter.skippedSites());
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName() + ":" + value;
    }

    private static byte[] generate(String internalName, int version, int flags, Consumer<ClassWriter> body) {
        ClassWriter cw = new ClassWriter(flags);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitSource(internalName.substring(internalName.lastIndexOf('/') + 1) + ".java", null);
        body.accept(cw);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code static Object make(int)} = {@code new T(arg).field}. */
    private static void staticFactory(
            ClassWriter cw, String owner, String constructor, String field, String fieldDescriptor, int loadOpcode) {
        MethodVisitor mv =
                cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)Ljava/lang/Object;", null, null);
        mv.visitCode();
        line(mv, 30);
        mv.visitTypeInsn(Opcodes.NEW, owner);
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(loadOpcode, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, "<init>", constructor, false);
        mv.visitFieldInsn(Opcodes.GETFIELD, owner, field, fieldDescriptor);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void newObject(MethodVisitor mv, String type) {
        mv.visitTypeInsn(Opcodes.NEW, type);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, type, "<init>", "()V", false);
    }

    private static void line(MethodVisitor mv, int line) {
        Label label = new Label();
        mv.visitLabel(label);
        mv.visitLineNumber(line, label);
    }

    /** {@code static int big()}: {@code sites} lines of {@code new int[1];}, returning {@code sites}. */
    private static byte[] hugeMethod(String internalName, int sites) {
        return generate(internalName, Opcodes.V17, ClassWriter.COMPUTE_MAXS, cw -> {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "big", "()I", null, null);
            mv.visitCode();
            for (int i = 1; i <= sites; i++) {
                line(mv, i);
                mv.visitInsn(Opcodes.ICONST_1);
                mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
                mv.visitInsn(Opcodes.POP);
            }
            mv.visitIntInsn(Opcodes.SIPUSH, sites);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
    }

    /** The length of a method's code, read from the class file (ASM does not expose it). */
    private static int codeLength(byte[] classFile, String method) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(classFile);
        in.position(8);
        int constants = in.getShort() & 0xFFFF;
        String[] utf8 = new String[constants];
        for (int i = 1; i < constants; i++) {
            int tag = in.get();
            switch (tag) {
                case 1 -> {
                    byte[] bytes = new byte[in.getShort() & 0xFFFF];
                    in.get(bytes);
                    utf8[i] = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                case 5, 6 -> {
                    in.position(in.position() + 8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                case 15 -> in.position(in.position() + 3);
                default -> throw new IllegalStateException("constant tag " + tag);
            }
        }
        in.position(in.position() + 6);
        int interfaces = in.getShort() & 0xFFFF;
        in.position(in.position() + 2 * interfaces);
        for (int kind = 0; kind < 2; kind++) { // fields, then methods
            int count = in.getShort() & 0xFFFF;
            for (int m = 0; m < count; m++) {
                in.getShort();
                String name = utf8[in.getShort() & 0xFFFF];
                in.getShort();
                int attributes = in.getShort() & 0xFFFF;
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.getShort() & 0xFFFF];
                    int length = in.getInt();
                    int start = in.position();
                    if (kind == 1 && name.equals(method) && attribute.equals("Code")) {
                        in.position(start + 4);
                        return in.getInt();
                    }
                    in.position(start + length);
                }
            }
        }
        return -1;
    }

    static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/" + internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Method name + descriptor -> calls to the hook in its instrumented body. */
    static Map<String, Integer> hooksPerMethod(byte[] classFile) {
        byte[] instrumented = new AllocationInstrumenter(new SiteRegistry(), false).instrument(classFile);
        Map<String, Integer> hooks = new LinkedHashMap<>();
        OpenedClassReader.of(instrumented)
                .accept(
                        new ClassVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                String key = name + descriptor;
                                hooks.put(key, 0);
                                return new MethodVisitor(OpenedClassReader.ASM_API) {
                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String owner, String method, String desc, boolean itf) {
                                        if (owner.equals(AllocationMethodVisitor.HOOK_OWNER)) {
                                            hooks.merge(key, 1, Integer::sum);
                                        }
                                    }
                                };
                            }
                        },
                        0);
        return hooks;
    }
}

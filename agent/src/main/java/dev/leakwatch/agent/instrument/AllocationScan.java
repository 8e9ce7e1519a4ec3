package dev.leakwatch.agent.instrument;

import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Which methods of a class file could hold an allocation site, found by walking their bytecode without decoding it
 * into visitor calls.
 *
 * <p>Why: about three methods in four have no allocation instruction (24-27% have one in Groovy, H2, Jackson and the
 * JDK's {@code java.util} and {@code java.lang}; {@code AllocationScanTest} prints the share). ASM copies a method's bytes unchanged, without decoding or re-encoding them,
 * when the class visitor hands it straight to the {@code ClassWriter}; so the transformer visits only the methods
 * listed here, and a class with none is not transformed at all. Class loading pays for the transformation, once per
 * class, at interpreted speed for the first thousands. {@code bench/TransformCost.java} over Groovy, H2 and Jackson
 * (6,439 classes, in a fresh JVM): 2.26 against 2.55 CPU seconds, medians of 11 alternating runs each.
 *
 * <p>The scan errs on the side of visiting: a method is listed when it has {@code new}, {@code newarray},
 * {@code anewarray} or {@code multianewarray}, or calls a method with a name that {@link AllocationMethodVisitor}
 * hooks at call sites ({@link #HOOKED_CALL_NAMES}), whatever its owner.
 */
final class AllocationScan {
    /** Names of the calls that {@link AllocatedTypes#ofCall} may count (it checks owner and descriptor too). */
    static final Set<String> HOOKED_CALL_NAMES = Set.of("clone", "newInstance", "copyOf", "copyOfRange", "toBytes");

    private static final int NEW = 0xbb;
    private static final int NEWARRAY = 0xbc;
    private static final int ANEWARRAY = 0xbd;
    private static final int MULTIANEWARRAY = 0xc5;
    private static final int INVOKEVIRTUAL = 0xb6;
    private static final int INVOKESPECIAL = 0xb7;
    private static final int INVOKESTATIC = 0xb8;
    private static final int INVOKEINTERFACE = 0xb9;
    private static final int TABLESWITCH = 0xaa;
    private static final int LOOKUPSWITCH = 0xab;
    private static final int WIDE = 0xc4;
    private static final int IINC = 0x84;

    /**
     * Length of each fixed-length instruction, by opcode (JVMS 6.5); 0 for the variable-length ones
     * ({@code tableswitch}, {@code lookupswitch}, {@code wide}) and for opcodes that a class file never contains.
     */
    private static final byte[] LENGTHS = lengths();

    private AllocationScan() {}

    /**
     * Methods (name + descriptor) with code that could hold an allocation site. A method whose code this walk cannot
     * follow (an opcode it does not know, an instruction running past the end) is listed too: ASM then decodes it as
     * it would without the scan, and fails or not as it would have.
     */
    static Set<String> methodsThatMayAllocate(ClassReader reader) {
        char[] buffer = new char[reader.getMaxStringLength()];
        Set<String> allocating = new HashSet<>();
        MethodCode.forEach(reader, (nameAndDescriptor, codeStart, codeLength) -> {
            if (mayAllocateOrUnreadable(reader, codeStart, codeLength, buffer)) {
                allocating.add(MethodCode.name(reader, nameAndDescriptor, buffer));
            }
        });
        return allocating;
    }

    private static boolean mayAllocateOrUnreadable(ClassReader reader, int codeStart, int codeLength, char[] buffer) {
        try {
            return mayAllocate(reader, codeStart, codeLength, buffer);
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    private static boolean mayAllocate(ClassReader reader, int codeStart, int codeLength, char[] buffer) {
        int pc = 0;
        while (pc < codeLength) {
            int opcode = reader.readByte(codeStart + pc);
            switch (opcode) {
                case NEW, NEWARRAY, ANEWARRAY, MULTIANEWARRAY:
                    return true;
                case INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC, INVOKEINTERFACE:
                    if (HOOKED_CALL_NAMES.contains(
                            calledName(reader, reader.readUnsignedShort(codeStart + pc + 1), buffer))) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
            pc += length(reader, codeStart, pc, opcode);
        }
        if (pc != codeLength) {
            throw new IllegalArgumentException("the last instruction runs past the end of the code");
        }
        return false;
    }

    /** The name in a method reference's name-and-type (CONSTANT_Methodref or CONSTANT_InterfaceMethodref). */
    private static String calledName(ClassReader reader, int methodRef, char[] buffer) {
        int nameAndType = reader.getItem(reader.readUnsignedShort(reader.getItem(methodRef) + 2));
        return reader.readUTF8(nameAndType, buffer);
    }

    private static int length(ClassReader reader, int codeStart, int pc, int opcode) {
        int fixed = LENGTHS[opcode];
        if (fixed > 0) {
            return fixed;
        }
        switch (opcode) {
            case WIDE:
                return reader.readByte(codeStart + pc + 1) == IINC ? 6 : 4;
            case TABLESWITCH: {
                int operands = pc + 1 + (3 - (pc & 3)); // padded to a multiple of 4 from the code's start
                int low = reader.readInt(codeStart + operands + 4);
                int high = reader.readInt(codeStart + operands + 8);
                return operands - pc + 12 + 4 * (high - low + 1);
            }
            case LOOKUPSWITCH: {
                int operands = pc + 1 + (3 - (pc & 3));
                int pairs = reader.readInt(codeStart + operands + 4);
                return operands - pc + 8 + 8 * pairs;
            }
            default:
                throw new IllegalArgumentException("unknown opcode " + opcode + " at " + pc);
        }
    }

    private static byte[] lengths() {
        byte[] lengths = new byte[256];
        fill(lengths, 0x00, 0x0f, 1); // nop .. dconst_1
        lengths[0x10] = 2; // bipush
        lengths[0x11] = 3; // sipush
        lengths[0x12] = 2; // ldc
        lengths[0x13] = 3; // ldc_w
        lengths[0x14] = 3; // ldc2_w
        fill(lengths, 0x15, 0x19, 2); // iload .. aload
        fill(lengths, 0x1a, 0x35, 1); // iload_0 .. saload
        fill(lengths, 0x36, 0x3a, 2); // istore .. astore
        fill(lengths, 0x3b, 0x83, 1); // istore_0 .. lxor
        lengths[IINC] = 3;
        fill(lengths, 0x85, 0x98, 1); // conversions, comparisons
        fill(lengths, 0x99, 0xa8, 3); // if<cond> .. jsr
        lengths[0xa9] = 2; // ret
        fill(lengths, 0xac, 0xb1, 1); // ireturn .. return
        fill(lengths, 0xb2, 0xb8, 3); // getstatic .. invokestatic
        lengths[INVOKEINTERFACE] = 5;
        lengths[0xba] = 5; // invokedynamic
        lengths[NEW] = 3;
        lengths[NEWARRAY] = 2;
        lengths[ANEWARRAY] = 3;
        fill(lengths, 0xbe, 0xbf, 1); // arraylength, athrow
        fill(lengths, 0xc0, 0xc1, 3); // checkcast, instanceof
        fill(lengths, 0xc2, 0xc3, 1); // monitorenter, monitorexit
        lengths[MULTIANEWARRAY] = 4;
        fill(lengths, 0xc6, 0xc7, 3); // ifnull, ifnonnull
        fill(lengths, 0xc8, 0xc9, 5); // goto_w, jsr_w
        return lengths;
    }

    private static void fill(byte[] lengths, int from, int to, int length) {
        for (int opcode = from; opcode <= to; opcode++) {
            lengths[opcode] = (byte) length;
        }
    }
}

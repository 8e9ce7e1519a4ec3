package dev.leakwatch.agent.instrument;

import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What an allocation site allocates, named as the {@link SiteRegistry} names it ({@code java.lang.String},
 * {@code int[]}), and which calls count as allocation sites at all: those that return a new object made outside of
 * bytecode we instrument. {@link AllocationMethodVisitor} decides where a hook goes; this class, what it reports.
 */
final class AllocatedTypes {
    /**
     * Allocating JDK methods that HotSpot's C2 replaces by an intrinsic at their call sites: once the caller is
     * compiled, a hook inside their bodies would never run, so their bodies are left alone and their call sites are
     * hooked instead (owner, name, descriptor; see vmIntrinsics {@code _copyOf}, {@code _copyOfRange},
     * {@code _toBytesStringU}). ArrayList's growth goes through the first one.
     */
    static final List<String[]> INTRINSIC_ALLOCATORS = List.of(
            new String[] {"java/util/Arrays", "copyOf", "([Ljava/lang/Object;ILjava/lang/Class;)[Ljava/lang/Object;"},
            new String[] {
                "java/util/Arrays", "copyOfRange", "([Ljava/lang/Object;IILjava/lang/Class;)[Ljava/lang/Object;"
            },
            new String[] {"java/lang/StringUTF16", "toBytes", "([CII)[B"});

    private AllocatedTypes() {}

    /**
     * The type a call allocates when it returns a new object made outside of instrumented bytecode, or null for any
     * other call.
     *
     * @param hookArraysCopyCalls every {@code Arrays.copyOf*} and {@code copyOfRange*} call counts, not only the
     *                            intrinsic ones (see {@code AllocationInstrumenter})
     */
    static String ofCall(int opcode, String owner, String name, String descriptor, boolean hookArraysCopyCalls) {
        switch (opcode) {
            case Opcodes.INVOKESTATIC:
                if (owner.equals("java/util/Arrays") && (name.equals("copyOf") || name.equals("copyOfRange"))) {
                    return hookArraysCopyCalls || isIntrinsicAllocator(owner, name, descriptor)
                            ? Type.getReturnType(descriptor).getClassName()
                            : null;
                }
                if (owner.equals("java/lang/StringUTF16") && isIntrinsicAllocator(owner, name, descriptor)) {
                    return "byte[]";
                }
                if (owner.equals("java/lang/reflect/Array") && name.equals("newInstance")) {
                    return "java.lang.Object";
                }
                return null;
            case Opcodes.INVOKEVIRTUAL:
            case Opcodes.INVOKESPECIAL:
                if (name.equals("clone") && descriptor.equals("()Ljava/lang/Object;")) {
                    if (owner.startsWith("[")) {
                        return Type.getType(owner).getClassName();
                    }
                    return owner.equals("java/lang/Object") ? "java.lang.Object" : null;
                }
                if (opcode == Opcodes.INVOKEVIRTUAL
                        && name.equals("newInstance")
                        && (owner.equals("java/lang/reflect/Constructor")
                                        && descriptor.equals("([Ljava/lang/Object;)Ljava/lang/Object;")
                                || owner.equals("java/lang/Class") && descriptor.equals("()Ljava/lang/Object;"))) {
                    return "java.lang.Object";
                }
                return null;
            default:
                return null;
        }
    }

    /** Whether the method is one of {@link #INTRINSIC_ALLOCATORS}: its body is left alone, its call sites hooked. */
    static boolean isIntrinsicAllocator(String owner, String name, String descriptor) {
        for (String[] intrinsic : INTRINSIC_ALLOCATORS) {
            if (intrinsic[0].equals(owner) && intrinsic[1].equals(name) && intrinsic[2].equals(descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** {@code java/lang/String} to {@code java.lang.String}, {@code [I} to {@code int[]}. */
    static String binaryName(String internalNameOrDescriptor) {
        return internalNameOrDescriptor.startsWith("[")
                ? Type.getType(internalNameOrDescriptor).getClassName()
                : internalNameOrDescriptor.replace('/', '.');
    }

    /** The array type that {@code NEWARRAY} makes for its operand ({@code T_INT} and so on). */
    static String ofNewArray(int operand) {
        switch (operand) {
            case Opcodes.T_BOOLEAN:
                return "boolean[]";
            case Opcodes.T_CHAR:
                return "char[]";
            case Opcodes.T_FLOAT:
                return "float[]";
            case Opcodes.T_DOUBLE:
                return "double[]";
            case Opcodes.T_BYTE:
                return "byte[]";
            case Opcodes.T_SHORT:
                return "short[]";
            case Opcodes.T_INT:
                return "int[]";
            case Opcodes.T_LONG:
                return "long[]";
            default:
                return "java.lang.Object";
        }
    }
}

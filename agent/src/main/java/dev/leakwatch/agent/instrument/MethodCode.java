package dev.leakwatch.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;

/**
 * Walks the {@code Code} attributes of a class file's methods straight from a {@link ClassReader}'s buffer, without
 * decoding a single instruction: the cheap first look that {@link CodeLengths} and {@link AllocationScan} take
 * before, or instead of, a full ASM pass.
 */
final class MethodCode {
    /** Called once per method that has code. */
    interface Visitor {
        /**
         * @param nameAndDescriptor offset of the method's name and descriptor indexes, for {@link #name}
         * @param codeStart         offset of its first instruction
         * @param codeLength        length of its code in bytes
         */
        void method(int nameAndDescriptor, int codeStart, int codeLength);
    }

    private MethodCode() {}

    static void forEach(ClassReader reader, Visitor visitor) {
        char[] buffer = new char[reader.getMaxStringLength()];
        int offset = reader.header + 6; // access flags, this class, super class
        offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
        int fields = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fields; i++) {
            offset = skipAttributes(reader, offset + 6);
        }
        int methods = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < methods; i++) {
            int nameAndDescriptor = offset + 2;
            int attributes = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributes; a++) {
                int length = reader.readInt(offset + 2);
                if ("Code".equals(reader.readUTF8(offset, buffer))) {
                    // Code: name (2), length (4), max_stack (2), max_locals (2), code_length (4), code
                    visitor.method(nameAndDescriptor, offset + 14, reader.readInt(offset + 10));
                }
                offset += 6 + length;
            }
        }
    }

    /** The method's name and descriptor, the key the transformer's method sets use. */
    static String name(ClassReader reader, int nameAndDescriptor, char[] buffer) {
        return reader.readUTF8(nameAndDescriptor, buffer) + reader.readUTF8(nameAndDescriptor + 2, buffer);
    }

    private static int skipAttributes(ClassReader reader, int offset) {
        int attributes = reader.readUnsignedShort(offset);
        offset += 2;
        for (int a = 0; a < attributes; a++) {
            offset += 6 + reader.readInt(offset + 2);
        }
        return offset;
    }
}

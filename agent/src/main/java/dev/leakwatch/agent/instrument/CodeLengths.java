package dev.leakwatch.agent.instrument;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The bytecode length of each method of a class file, read from its {@code Code} attributes without decoding a single
 * instruction: cheap enough to run on every class the transformer changes.
 */
final class CodeLengths {
    private CodeLengths() {
    }

    /**
     * Methods (name + descriptor) whose code was at most {@code limit} bytes before and is longer after. A hooked site
     * adds at most 7 bytes to an instruction of at least 2, so a method cannot grow more than 4.5-fold: when no method
     * was longer than {@code limit / 8}, the new class file is not read at all (nearly always).
     */
    static Set<String> grownPast(ClassReader before, byte[] after, int limit) {
        Map<String, Integer> original = of(before);
        if (original.values().stream().allMatch(length -> length <= limit / 8)) {
            return Set.of();
        }
        Set<String> grown = new HashSet<>();
        of(OpenedClassReader.of(after)).forEach((method, length) -> {
            Integer was = original.get(method);
            if (length > limit && was != null && was <= limit) {
                grown.add(method);
            }
        });
        return grown;
    }

    /** Method name + descriptor to code length, for the methods that have code. */
    static Map<String, Integer> of(ClassReader reader) {
        char[] buffer = new char[reader.getMaxStringLength()];
        int offset = reader.header + 6; // access flags, this class, super class
        offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
        int fields = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fields; i++) {
            offset = skipAttributes(reader, offset + 6);
        }
        Map<String, Integer> lengths = new HashMap<>();
        int methods = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < methods; i++) {
            String method = reader.readUTF8(offset + 2, buffer) + reader.readUTF8(offset + 4, buffer);
            int attributes = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributes; a++) {
                int length = reader.readInt(offset + 2);
                if ("Code".equals(reader.readUTF8(offset, buffer))) {
                    // Code: max_stack (2), max_locals (2), code_length (4), ...
                    lengths.put(method, reader.readInt(offset + 6 + 4));
                }
                offset += 6 + length;
            }
        }
        return lengths;
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

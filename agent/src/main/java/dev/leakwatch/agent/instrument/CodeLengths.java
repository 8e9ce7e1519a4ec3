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
    private CodeLengths() {}

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
        Map<String, Integer> lengths = new HashMap<>();
        MethodCode.forEach(
                reader,
                (nameAndDescriptor, codeStart, codeLength) ->
                        lengths.put(MethodCode.name(reader, nameAndDescriptor, buffer), codeLength));
        return lengths;
    }
}

package dev.leakwatch.agent.tracking;

import java.util.Arrays;

/**
 * Identity of an allocation path, built on every sampled allocation: site, allocated class and, per frame, class
 * name, method name and bytecode index. All strings are ones the JVM already holds (class names, interned method
 * names), so building a key allocates three arrays and hashes cached hash codes.
 *
 * <p>Method descriptors are left out: fetching them costs about 10% of the walk, and they cannot tell two stacks apart
 * except at the outermost recorded frame. A frame's caller (the next frame) sits on one invoke instruction, which
 * names one descriptor, and frame 0 is fixed by the site id. So two overloads share a key only when they are the
 * outermost frame at the same bytecode index; such stacks count as one path.
 *
 * <p>Holds no class reference: a key must not keep a class loader alive.
 */
final class PathKey {
    final int siteId;
    final String typeName;
    final String[] classNames;
    final String[] methodNames;
    final int[] bytecodeIndexes;
    private final int hash;

    private PathKey(int siteId, String typeName, String[] classNames, String[] methodNames, int[] bytecodeIndexes) {
        this.siteId = siteId;
        this.typeName = typeName;
        this.classNames = classNames;
        this.methodNames = methodNames;
        this.bytecodeIndexes = bytecodeIndexes;
        int h = siteId * 31 + typeName.hashCode();
        for (int i = 0; i < classNames.length; i++) {
            h = h * 31 + classNames[i].hashCode();
            h = h * 31 + methodNames[i].hashCode();
            h = h * 31 + bytecodeIndexes[i];
        }
        this.hash = h;
    }

    /** @param typeName {@link Class#getName()} of the allocated object (cached by the JVM, so not allocated) */
    static PathKey of(int siteId, String typeName, SampledStack frames) {
        int length = frames.depth();
        String[] classNames = new String[length];
        String[] methodNames = new String[length];
        int[] bytecodeIndexes = new int[length];
        for (int i = 0; i < length; i++) {
            classNames[i] = frames.className(i);
            methodNames[i] = frames.methodName(i);
            bytecodeIndexes[i] = frames.bytecodeIndex(i);
        }
        return new PathKey(siteId, typeName, classNames, methodNames, bytecodeIndexes);
    }

    int depth() {
        return classNames.length;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof PathKey that
                && hash == that.hash
                && siteId == that.siteId
                && typeName.equals(that.typeName)
                && Arrays.equals(bytecodeIndexes, that.bytecodeIndexes)
                && Arrays.equals(methodNames, that.methodNames)
                && Arrays.equals(classNames, that.classNames);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}

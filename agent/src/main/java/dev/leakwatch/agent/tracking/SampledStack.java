package dev.leakwatch.agent.tracking;

/**
 * The stack of one sampled allocation, innermost frame first, as the tracker keys and names paths by it. Two samplers
 * provide it: a {@link StackWalker} walk on the allocating thread (bytecode hooks), and the JVM's own walk taken in
 * the heap sampler's callback and resolved later on the agent's thread.
 *
 * <p>Names are the ones the runtime already holds ({@link Class#getName()}, interned method names), so building a
 * path key from them allocates nothing per frame.
 */
public interface SampledStack {
    int depth();

    /** The frame's declaring class, as {@link Class#getName()} spells it. */
    String className(int frame);

    String methodName(int frame);

    /** The frame's bytecode index; negative for a native method. */
    int bytecodeIndex(int frame);

    /** The frame as text, {@code com.acme.Cache.put(Cache.java:42)}: asked once per distinct frame, then cached. */
    String describe(int frame);
}

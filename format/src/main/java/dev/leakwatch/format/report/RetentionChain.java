package dev.leakwatch.format.report;

import java.util.List;

/**
 * Who holds a suspect's objects: a chain of references from a GC root to them, found by the agent in the running
 * JVM. Several of the suspect's objects held through the same chain are one chain with their count.
 *
 * @param rootKind  what the chain starts from: {@code static-field}, {@code thread}, {@code stack-local},
 *                  {@code jni-global}, {@code jni-local}, {@code system-class}, {@code monitor} or {@code other}
 * @param root      the root itself: the class whose static field starts the chain, the thread's name, the method
 *                  of a stack local, the class of another root's object
 * @param chain     the references from the root to the objects, each {@code declaringClass.fieldName}, {@code []}
 *                  for an array slot, {@code <class>} from an instance to its class and {@code <loader>} from a
 *                  class to its class loader
 * @param container the collection or array on the chain that grows, or null when the chain has none
 * @param objects   how many of the suspect's objects the walk found held through this chain
 */
public record RetentionChain(String rootKind, String root, List<String> chain, Container container, int objects) {

    public RetentionChain {
        chain = List.copyOf(chain);
    }

    /**
     * The growing reference on a chain.
     *
     * @param className              the container's class ({@code java.util.HashMap}, {@code java.lang.Object[]})
     * @param field                  the chain element through which the container is held, the one a fix changes
     * @param chainIndex             that element's index in {@code chain}
     * @param growthEntriesPerMinute how fast its entries grew since the agent first found it on a chain; null until
     *                               it was measured twice
     */
    public record Container(String className, String field, int chainIndex, Double growthEntriesPerMinute) {}
}

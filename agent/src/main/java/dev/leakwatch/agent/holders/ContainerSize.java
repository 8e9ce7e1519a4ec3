package dev.leakwatch.agent.holders;

import java.util.Collection;
import java.util.Map;

/**
 * How many entries a container on a chain holds. Only the JDK's own collections are asked their {@code size()}: an
 * application's collection could run anything in it, on the agent's thread. Arrays of references count their
 * non-null slots.
 */
final class ContainerSize {
    private ContainerSize() {}

    static boolean isJdkCollection(Object object) {
        return (object instanceof Collection<?> || object instanceof Map<?, ?>)
                && object.getClass().getClassLoader() == null;
    }

    /** Its entries now, or -1 when they cannot be counted (collected, or its size failed). */
    static int of(Object object, boolean collection) {
        try {
            if (object == null) {
                return -1;
            }
            if (collection) {
                return object instanceof Map<?, ?> map ? map.size() : ((Collection<?>) object).size();
            }
            if (object instanceof Object[] array) {
                int used = 0;
                for (Object slot : array) {
                    if (slot != null) {
                        used++;
                    }
                }
                return used;
            }
            return -1;
        } catch (RuntimeException e) { // a collection in an inconsistent state: unknown this time
            return -1;
        }
    }
}

package probe;

/** Defined as a hidden class by Workload.hidden(). */
public class HiddenTarget {
    public static Object make() {
        return new StringBuilder("hidden").append(new int[2].length);
    }
}

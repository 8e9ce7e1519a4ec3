package probe;

import java.lang.invoke.MethodHandles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** What the forked agent test runs under the transformer: JDK collections, strings, a lambda, a hidden class. */
public class Workload {
    static final List<Object> KEPT = new ArrayList<>();

    public static String collections() throws Exception {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put("key" + i, new byte[16]);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append("line ").append(i).append('\n');
        }
        String built = text.toString();
        Map<String, Integer> linked = new LinkedHashMap<>();
        linked.put(built.substring(0, 4), 1);
        TreeMap<Integer, String> tree = new TreeMap<>();
        tree.put(3, "three");
        LinkedList<String> list = new LinkedList<>();
        list.add("x");
        ArrayDeque<Object> deque = new ArrayDeque<>();
        for (int i = 0; i < 40; i++) {
            deque.add(i);
        }
        HashSet<String> set = new HashSet<>();
        set.add("s");
        ConcurrentHashMap<String, String> concurrent = new ConcurrentHashMap<>();
        concurrent.put("c", "d");
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
        queue.add("q");
        CopyOnWriteArrayList<String> cow = new CopyOnWriteArrayList<>();
        cow.add("w");
        Supplier<Object> lambda = () -> new int[3];
        KEPT.add(lambda.get());
        KEPT.add(map);
        return map.size() + "/" + built.length() + "/" + linked + tree + list + deque.size() + set + concurrent
                + queue + cow;
    }

    /** 20 adds per list: one new Object[10] in ArrayList.grow, then two Arrays.copyOf growths (to 15 and 22). */
    public static int growLists(int lists) {
        int total = 0;
        for (int n = 0; n < lists; n++) {
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                list.add(i);
            }
            total += list.size();
        }
        return total;
    }

    /** A hidden class: never seen by class file transformers, so never instrumented. */
    public static Object hidden() throws Throwable {
        byte[] bytes;
        try (var in = Workload.class.getResourceAsStream("HiddenTarget.class")) {
            bytes = in.readAllBytes();
        }
        Class<?> hidden = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
        return hidden.getMethod("make").invoke(null) + ":" + hidden.isHidden();
    }
}

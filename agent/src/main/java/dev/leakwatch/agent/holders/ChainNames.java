package dev.leakwatch.agent.holders;

import dev.leakwatch.agent.holders.RetentionSearch.Container;
import dev.leakwatch.agent.holders.RetentionSearch.FoundChain;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the shortest chains of a walk's graph, and groups the targets that share one. Runs right after the walk, with
 * its tags still set: the objects on the chains are fetched by tag, a few hundred at a time.
 *
 * <p>A reference that turns out to be a weak or soft one's referent ({@link #REFERENT}), or to pass through one of
 * the agent's own objects, is left out and the chains searched again, so that the chain kept is the shortest one
 * without them.
 */
final class ChainNames {
    static final String REFERENT = "java.lang.ref.Reference.referent";
    /** Searches again at most this often after leaving references out. */
    private static final int ROUNDS = 8;
    /** Node ids per fetch: the JVM compares each tagged object with every id asked for. */
    private static final int FETCH = 256;

    /** A class, not a lambda: a lambda's class would load at the first search, after the first reports. */
    private static final Comparator<Group> MOST_OBJECTS_FIRST = new MostObjectsFirst();

    private final ReferenceGraph graph;
    private final List<String> agentPackages;
    private final Map<Integer, Object> objects = new HashMap<>();
    private final Map<Integer, String> labels = new HashMap<>();

    /** @param agentPackages the agent's own packages (prefixes, with their dot): no chain passes through them */
    ChainNames(ReferenceGraph graph, List<String> agentPackages) {
        this.graph = graph;
        this.agentPackages = agentPackages;
    }

    /** The chains that hold the targets, those holding most first, at most {@code max}. */
    List<FoundChain> chains(int max) {
        List<int[]> paths = List.of();
        for (int round = 0; round < ROUNDS; round++) {
            paths = graph.shortestPaths();
            fetch(paths);
            if (!leaveOutUnwanted(paths)) {
                return group(paths, max);
            }
        }
        return List.of(); // still passing through weak references or the agent: better none than a wrong one
    }

    /** Leaves out the weak referents and the agent's objects on the paths; whether there were any. */
    private boolean leaveOutUnwanted(List<int[]> paths) {
        boolean any = false;
        for (int[] path : paths) {
            for (int edge : path) {
                Object from = objects.get(graph.from(edge));
                Object to = objects.get(graph.to(edge));
                if (REFERENT.equals(label(edge)) || isAgentOwned(from) || isAgentOwned(to)) {
                    graph.leaveOut(edge);
                    any = true;
                }
            }
        }
        return any;
    }

    private List<FoundChain> group(List<int[]> paths, int max) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int[] path : paths) {
            if (path.length == 0 || !alive(path)) {
                continue; // collected since the walk: it holds nothing now
            }
            int rootNode = graph.from(path[0]);
            String[] root = root(rootNode);
            int[] shown = withoutLinks(path);
            List<String> elements = new ArrayList<>(shown.length);
            for (int edge : shown) {
                elements.add(label(edge));
            }
            String key = root[0] + '\n' + root[1] + '\n' + String.join("\n", elements);
            Group group = groups.get(key);
            if (group == null) {
                group = new Group(root[0], root[1], elements, containers(shown));
                groups.put(key, group);
            }
            group.objects++;
        }
        List<Group> ranked = new ArrayList<>(groups.values());
        ranked.sort(MOST_OBJECTS_FIRST);
        List<FoundChain> chains = new ArrayList<>();
        for (Group group : ranked.subList(0, Math.min(max, ranked.size()))) {
            chains.add(new FoundChain(group.rootKind, group.root, group.elements, group.containers, group.objects));
        }
        return chains;
    }

    /**
     * The path without its links from an object to another of its own class ({@code HashMap$Node.next} in a bucket,
     * a linked list's nodes): how far along a list an object sits is no part of who holds it, and objects in one
     * bucket or another read as one chain.
     */
    private int[] withoutLinks(int[] path) {
        int[] kept = new int[path.length];
        int count = 0;
        for (int i = 0; i < path.length; i++) {
            int edge = path[i];
            Object from = objects.get(graph.from(edge));
            Object to = objects.get(graph.to(edge));
            boolean link = i > 0
                    && graph.kind(edge) == HeapWalk.KIND_FIELD
                    && from != null
                    && to != null
                    && from.getClass() == to.getClass()
                    && !graph.isTarget(graph.to(edge));
            if (!link) {
                kept[count++] = edge;
            }
        }
        return java.util.Arrays.copyOf(kept, count);
    }

    private boolean alive(int[] path) {
        if (objects.get(graph.from(path[0])) == null) {
            return false;
        }
        for (int edge : path) {
            if (objects.get(graph.to(edge)) == null) {
                return false;
            }
        }
        return true;
    }

    /** The collections and arrays a path passes through, held weakly, with their size now. */
    private List<Container> containers(int[] path) {
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < path.length - 1; i++) {
            Object held = objects.get(graph.to(path[i]));
            boolean collection = ContainerSize.isJdkCollection(held);
            if (collection || held instanceof Object[]) {
                containers.add(new Container(
                        new WeakReference<>(held),
                        held.getClass().getTypeName(),
                        i,
                        collection,
                        ContainerSize.of(held, collection)));
            }
        }
        return containers;
    }

    /** {kind, what}: the root of a chain, by the node it starts from. */
    private String[] root(int node) {
        Object object = objects.get(node);
        if ((graph.flags(node) & HeapWalk.STATIC_HOLDER) != 0 && object instanceof Class<?> type) {
            return new String[] {"static-field", type.getTypeName()};
        }
        String kind = switch (graph.rootKind(node)) {
            case HeapWalk.KIND_JNI_GLOBAL -> "jni-global";
            case HeapWalk.KIND_SYSTEM_CLASS -> "system-class";
            case HeapWalk.KIND_MONITOR -> "monitor";
            case HeapWalk.KIND_STACK_LOCAL -> "stack-local";
            case HeapWalk.KIND_JNI_LOCAL -> "jni-local";
            case HeapWalk.KIND_THREAD -> "thread";
            default -> "other";
        };
        String what;
        if (object instanceof Thread thread) {
            what = thread.getName();
        } else if (graph.rootMethod(node) != 0) {
            String[] method = HeapWalk.method0(graph.rootMethod(node));
            what = method == null ? typeName(object) : binaryName(method[0]) + "." + method[1];
        } else {
            what = typeName(object);
        }
        return new String[] {kind, what};
    }

    /** A chain element: {@code declaringClass.field}, {@code []}, {@code <class>} or {@code <loader>}. */
    private String label(int edge) {
        String known = labels.get(edge);
        if (known != null) {
            return known;
        }
        Object from = objects.get(graph.from(edge));
        Object to = objects.get(graph.to(edge));
        String label = switch (graph.kind(edge)) {
            case HeapWalk.KIND_ARRAY_ELEMENT -> "[]";
            case HeapWalk.KIND_CLASS -> "<class>";
            case HeapWalk.KIND_CLASS_LOADER -> "<loader>";
            case HeapWalk.KIND_FIELD -> field(from, to, false, graph.index(edge));
            case HeapWalk.KIND_STATIC_FIELD -> field(from, to, true, graph.index(edge));
            default -> "<reference kind " + graph.kind(edge) + ">";
        };
        labels.put(edge, label);
        return label;
    }

    private static String field(Object holder, Object value, boolean isStatic, int index) {
        if (holder == null || value == null) {
            return "?";
        }
        String[] field = HeapWalk.field0(holder, value, isStatic);
        if (field != null) {
            return binaryName(field[0]) + "." + field[1];
        }
        // The field no longer holds it (changed since the walk): JVMTI's number for it, which a person can look up.
        return (isStatic && holder instanceof Class<?> type
                        ? type.getTypeName()
                        : holder.getClass().getTypeName()) + ".<field " + index + ">";
    }

    /** Fetches the objects of every node on the paths not fetched yet. */
    private void fetch(List<int[]> paths) {
        List<Integer> wanted = new ArrayList<>();
        for (int[] path : paths) {
            if (path.length > 0) {
                want(graph.from(path[0]), wanted);
            }
            for (int edge : path) {
                want(graph.to(edge), wanted);
            }
        }
        for (int start = 0; start < wanted.size(); start += FETCH) {
            List<Integer> batch = wanted.subList(start, Math.min(wanted.size(), start + FETCH));
            int[] ids = new int[batch.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = batch.get(i);
            }
            Object[] found = HeapWalk.objects0(ids);
            for (int i = 0; i < ids.length; i++) {
                objects.put(ids[i], found == null ? null : found[i]);
            }
        }
    }

    private void want(int node, Collection<Integer> wanted) {
        if (!objects.containsKey(node)) {
            objects.put(node, null); // asked once
            wanted.add(node);
        }
    }

    private boolean isAgentOwned(Object object) {
        if (object == null) {
            return false;
        }
        Class<?> type = object instanceof Class<?> c ? c : object.getClass();
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return AgentPackages.owns(agentPackages, type.getName());
    }

    private static String typeName(Object object) {
        if (object == null) {
            return "?";
        }
        return object instanceof Class<?> type
                ? type.getTypeName()
                : object.getClass().getTypeName();
    }

    /** {@code Ljava/util/HashMap;} as {@code java.util.HashMap}. */
    static String binaryName(String signature) {
        if (signature == null) {
            return "?";
        }
        if (signature.startsWith("L") && signature.endsWith(";")) {
            return signature.substring(1, signature.length() - 1).replace('/', '.');
        }
        return signature.replace('/', '.');
    }

    /** Most objects first, then the shorter chain. */
    private static final class MostObjectsFirst implements Comparator<Group> {
        @Override
        public int compare(Group a, Group b) {
            int byObjects = Integer.compare(b.objects, a.objects);
            return byObjects != 0 ? byObjects : Integer.compare(a.elements.size(), b.elements.size());
        }
    }

    private static final class Group {
        final String rootKind;
        final String root;
        final List<String> elements;
        final List<Container> containers;
        int objects;

        Group(String rootKind, String root, List<String> elements, List<Container> containers) {
            this.rootKind = rootKind;
            this.root = root;
            this.elements = elements;
            this.containers = containers;
        }
    }
}

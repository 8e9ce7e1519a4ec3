package dev.leakwatch.agent.instrument;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assigns each allocation site a constant int id at instrumentation time, so that the hot path passes a constant
 * and the tracker looks the site up only for the few sampled allocations.
 *
 * <p>Thread-safe: classes are transformed on whichever thread loads them. Registration is idempotent: the same site
 * (class, method, descriptor, line, allocated type) gets the same id again, which keeps ids stable when a class is
 * retransformed or defined again by another class loader. Lookups by id take no lock.
 *
 * <p>Bounded: past {@link #capacity()} sites every new site gets {@link #OVERFLOW_ID}, which names no particular
 * site, and {@link #overflowed()} counts those registrations (a site refused twice, say on retransformation, counts
 * twice). Memory is roughly 150 bytes per site; the default of {@value #DEFAULT_CAPACITY} sites stays under 20 MB.
 */
public final class SiteRegistry {
    /** Shared by every site registered once the registry was full. */
    public static final int OVERFLOW_ID = 0;

    public static final int DEFAULT_CAPACITY = 131_072;

    private static final int INITIAL_TABLE = 1024;

    private final int capacity;
    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicLong overflowed = new AtomicLong();
    private final HookedSite overflowSite;
    /** Index = id; replaced (never mutated in place for existing ids) when it grows. */
    private volatile HookedSite[] sites;

    private int next = 1;

    public SiteRegistry() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity the most distinct sites given their own id, at least 1 */
    public SiteRegistry(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.overflowSite = new HookedSite(
                OVERFLOW_ID,
                "<overflow>",
                "<sites beyond the registry's capacity>",
                "()V",
                -1,
                "java.lang.Object",
                "<unknown>");
        this.sites = new HookedSite[Math.min(INITIAL_TABLE, capacity + 1)];
        this.sites[OVERFLOW_ID] = overflowSite;
    }

    /**
     * The id of a site, registering it if new.
     *
     * @param className     binary name of the declaring class
     * @param sourceFile    the class's SourceFile attribute, or null
     * @param allocatedType binary name of the allocated type, {@code int[]} style for arrays
     * @return the site's id, or {@link #OVERFLOW_ID} when the registry is full
     */
    public int register(
            String className, String sourceFile, String methodName, String descriptor, int line, String allocatedType) {
        Key key = new Key(className, methodName, descriptor, line, allocatedType);
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        synchronized (this) {
            id = ids.get(key);
            if (id != null) {
                return id;
            }
            if (next > capacity) {
                overflowed.incrementAndGet();
                return OVERFLOW_ID;
            }
            int newId = next++;
            HookedSite[] table = sites;
            if (newId >= table.length) {
                table = Arrays.copyOf(table, (int) Math.min((long) capacity + 1, 2L * table.length));
            }
            table[newId] = new HookedSite(newId, className, methodName, descriptor, line, allocatedType, sourceFile);
            sites = table;
            ids.put(key, newId);
            return newId;
        }
    }

    /**
     * The site with this id: {@link #OVERFLOW_ID} gives a placeholder site, an id never handed out gives null.
     */
    public HookedSite site(int id) {
        HookedSite[] table = sites;
        return id >= 0 && id < table.length ? table[id] : null;
    }

    /** The site's frame, like {@code com.acme.Cache.put(Cache.java:42)}; never null. */
    public String frame(int id) {
        HookedSite site = site(id);
        return site != null ? site.frame() : "<site " + id + ">";
    }

    /** The site's allocated type, {@code byte[]} style for arrays; never null. */
    public String allocatedType(int id) {
        HookedSite site = site(id);
        return site != null ? site.allocatedType() : "java.lang.Object";
    }

    /** Distinct sites with an id of their own. */
    public int size() {
        return ids.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Registrations answered with {@link #OVERFLOW_ID} because the registry was full. */
    public long overflowed() {
        return overflowed.get();
    }

    public HookedSite overflowSite() {
        return overflowSite;
    }

    private record Key(String className, String methodName, String descriptor, int line, String allocatedType) {
        Key {
            Objects.requireNonNull(className);
            Objects.requireNonNull(methodName);
            Objects.requireNonNull(descriptor);
            Objects.requireNonNull(allocatedType);
        }
    }
}

package dev.leakwatch.bootstrap;

/**
 * Receives the sampled allocations. Implemented by the agent's tracking code, which lives in the system class
 * loader; this interface lives on the bootstrap class path so that instrumented JDK classes can reach it.
 */
public interface AllocationRecorder {
    /**
     * Called on the allocating thread for a sampled allocation, never re-entered on that thread.
     *
     * @param object the allocated object (fully constructed), or array
     * @param siteId the allocation site's id, assigned at instrumentation time
     */
    void record(Object object, int siteId);
}

package dev.leakwatch.agent.instrument;

import dev.leakwatch.bootstrap.AllocationHook;
import dev.leakwatch.bootstrap.AllocationRecorder;
import java.util.ArrayList;
import java.util.List;

/** A recorder that keeps every allocation it is given, installed at interval 1 (every allocation sampled). */
final class Recording implements AllocationRecorder, AutoCloseable {
    record Sample(Object object, int siteId) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Check check;

    /** Runs inside the hook, on the allocating thread, for each sample (e.g. to inspect the object). */
    interface Check {
        void on(Object object, int siteId);
    }

    private Recording(Check check) {
        this.check = check;
    }

    static Recording start() {
        return start((object, siteId) -> {});
    }

    static Recording start(Check check) {
        Recording recording = new Recording(check);
        AllocationHook.install(recording, 1);
        return recording;
    }

    @Override
    public synchronized void record(Object object, int siteId) {
        samples.add(new Sample(object, siteId));
        check.on(object, siteId);
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    @Override
    public void close() {
        AllocationHook.uninstall();
    }
}

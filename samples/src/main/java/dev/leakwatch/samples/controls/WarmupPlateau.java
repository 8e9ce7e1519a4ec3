package dev.leakwatch.samples.controls;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Control: a reference-data cache that is loaded during warm-up and then only read. It grows to about 30 MB over the
 * first {@link #WARMUP_NANOS} and stays flat after that, the shape a detector must not mistake for a leak once it
 * ignores warm-up.
 *
 * <p>The fill follows the clock rather than the request count, so the plateau starts on time even on a machine where
 * the agent slows the request loop down.
 */
public final class WarmupPlateau implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int ENTRIES = 15_000;
    private static final int ENTRY_BYTES = 2 * 1_024;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;

    private final Map<Integer, ReferenceData> cache = new HashMap<>();
    private final long startNanos = System.nanoTime();

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        int loaded = cache.size();
        if (loaded < ENTRIES) {
            long elapsed = System.nanoTime() - startNanos;
            int due = (int) Math.min(ENTRIES, ENTRIES * elapsed / WARMUP_NANOS);
            for (int key = loaded; key < due; key++) {
                cache.put(key, new ReferenceData(key, new byte[ENTRY_BYTES]));
            }
        }
        if (!cache.isEmpty()) {
            cache.get((int) (requestId % cache.size())).reads++;
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private static final class ReferenceData {
        private final int key;
        private final byte[] value;
        private long reads;

        ReferenceData(int key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }
}

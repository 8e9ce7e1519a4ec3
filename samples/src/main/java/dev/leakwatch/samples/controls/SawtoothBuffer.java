package dev.leakwatch.samples.controls;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * Control: a batch buffer that fills to {@link #FLUSH_BYTES} and is then flushed (cleared), over and over. The live
 * set ramps from zero to about 40 MB and drops back every {@code FLUSH_BYTES / (FRAME_BYTES * REQUESTS_PER_SECOND)},
 * about 10 seconds: large swings, no trend.
 */
public final class SawtoothBuffer implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int FRAME_BYTES = 4 * 1_024;
    private static final int FLUSH_BYTES = 40 * 1_024 * 1_024;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;

    private final List<BufferedFrame> pending = new ArrayList<>();
    private long pendingBytes;

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        pending.add(new BufferedFrame(requestId, new byte[FRAME_BYTES]));
        pendingBytes += FRAME_BYTES;
        if (pendingBytes >= FLUSH_BYTES) {
            flush();
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private void flush() {
        pending.clear();
        pendingBytes = 0;
    }

    private static final class BufferedFrame {
        private final long requestId;
        private final byte[] data;

        BufferedFrame(long requestId, byte[] data) {
            this.requestId = requestId;
            this.data = data;
        }
    }
}

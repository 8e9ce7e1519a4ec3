package dev.leakwatch.samples.controls;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * Control: a large resident data set allocated once in the constructor, before the "running" line, plus heavy churn.
 * A big live set that never changes must not read as growth, and its size must not hide or inflate anything else.
 */
public final class SteadyChurn implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int RESIDENT_BLOCKS = 30_000;
    private static final int BLOCK_BYTES = 2 * 1_024;
    private static final int CHURN_BYTES_PER_REQUEST = 16 * 1_024;

    private final List<ResidentBlock> resident = new ArrayList<>(RESIDENT_BLOCKS);

    public SteadyChurn() {
        for (int i = 0; i < RESIDENT_BLOCKS; i++) {
            resident.add(new ResidentBlock(i, new byte[BLOCK_BYTES]));
        }
    }

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        resident.get((int) (requestId % RESIDENT_BLOCKS)).reads++;
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private static final class ResidentBlock {
        private final int index;
        private final byte[] data;
        private long reads;

        ResidentBlock(int index, byte[] data) {
            this.index = index;
            this.data = data;
        }
    }
}

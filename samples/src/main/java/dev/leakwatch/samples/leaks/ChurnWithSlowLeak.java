package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * A slow leak hidden under heavy churn: each request allocates and drops tens of kilobytes, and a few of them append an
 * {@link AuditRecord} to a static list that nothing trims. The detector has to see about 1.1 MB a minute of growth
 * (31 records a second of about 600 bytes) through some 32 MB a second of short-lived garbage.
 */
public final class ChurnWithSlowLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int CHURN_BYTES_PER_REQUEST = 32 * 1_024;
    private static final int REQUESTS_PER_AUDIT = 32;
    private static final int AUDIT_DETAIL_BYTES = 512;
    private static final String[] ACTIONS = {"login", "read", "update", "export", "logout"};

    /** The leak: an in-memory audit trail that was meant to be flushed to disk and never is. */
    private static final List<AuditRecord> AUDIT_TRAIL = new ArrayList<>();

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
        if (requestId % REQUESTS_PER_AUDIT == 0) {
            audit(requestId);
        }
    }

    private static void audit(long requestId) {
        String action = ACTIONS[(int) (requestId % ACTIONS.length)];
        AUDIT_TRAIL.add(new AuditRecord(
                System.currentTimeMillis(), "user-" + requestId % 997, action, new byte[AUDIT_DETAIL_BYTES]));
    }

    private static final class AuditRecord {
        private final long timestampMillis;
        private final String user;
        private final String action;
        private final byte[] detail;

        AuditRecord(long timestampMillis, String user, String action, byte[] detail) {
            this.timestampMillis = timestampMillis;
            this.user = user;
            this.action = action;
            this.detail = detail;
        }
    }
}

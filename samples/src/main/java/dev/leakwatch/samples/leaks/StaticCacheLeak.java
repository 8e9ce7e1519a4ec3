package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.HashMap;
import java.util.Map;

/**
 * A session cache that is only ever added to: every login puts a {@link Session} into a static {@code HashMap} and
 * nothing evicts it, the commonest leak there is.
 *
 * <p>Rate: one login in {@link #REQUESTS_PER_LOGIN} requests at {@link #REQUESTS_PER_SECOND} is about 31 sessions a
 * second; with its id, payload and map entry a session retains about 1.2 KB, so the live heap grows by about 2.2 MB a
 * minute (measured from live class histograms at {@code -Xmx256m}).
 */
public final class StaticCacheLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int REQUESTS_PER_LOGIN = 32;
    private static final int SESSION_PAYLOAD_BYTES = 1_024;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;

    /** The leak: keyed by session id, never evicted. */
    private static final Map<String, Session> SESSIONS = new HashMap<>();

    private String lastSessionId = openSession(-1);

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        if (requestId % REQUESTS_PER_LOGIN == 0) {
            lastSessionId = openSession(requestId);
        } else {
            SESSIONS.get(lastSessionId).touch(requestId);
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private static String openSession(long requestId) {
        Session session = new Session("session-" + requestId, new byte[SESSION_PAYLOAD_BYTES]);
        SESSIONS.put(session.id, session);
        return session.id;
    }

    private static final class Session {
        private final String id;
        private final byte[] attributes;
        private long lastRequestId;

        Session(String id, byte[] attributes) {
            this.id = id;
            this.attributes = attributes;
        }

        void touch(long requestId) {
            lastRequestId = requestId;
            attributes[(int) (requestId % attributes.length)]++;
        }
    }
}

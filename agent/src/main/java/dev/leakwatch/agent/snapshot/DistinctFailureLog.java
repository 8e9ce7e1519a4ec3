package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import java.util.HashSet;
import java.util.Set;

/**
 * Logs the first failure with a given description and cause, and drops its repeats: a failure that recurs at every
 * snapshot would otherwise log a line every interval. Remembers at most {@value #MAX_REMEMBERED} distinct failures,
 * then logs no new ones, so a failure whose message changes each time cannot grow the set or the log without end.
 *
 * <p>Never throws: it is called from the catch blocks that keep the snapshot thread alive. Any thread.
 */
final class DistinctFailureLog {
    static final int MAX_REMEMBERED = 64;

    private final AgentLog log;
    private final Set<String> logged = new HashSet<>();

    DistinctFailureLog(AgentLog log) {
        this.log = log;
    }

    void reportOnce(String whatFailed, Throwable cause) {
        try {
            String key = whatFailed + ": " + AgentLog.describe(cause);
            synchronized (logged) {
                if (logged.size() >= MAX_REMEMBERED || !logged.add(key)) {
                    return;
                }
            }
            log.error(whatFailed, cause);
        } catch (Throwable e) {
            // Building the line failed too (a full heap): an error escaping here would end the schedule for good.
        }
    }
}

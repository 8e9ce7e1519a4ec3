package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-thread list that is appended to and never cleared: each task on a fixed pool records its
 * {@link RequestContext} in a {@code ThreadLocal} "for diagnostics". Pooled threads never die, so their thread-local
 * values live for the life of the program and grow with every request they serve.
 *
 * <p>Rate: every request at {@link #REQUESTS_PER_SECOND} leaves one context of about 160 bytes behind (trace id and
 * attributes included): about 2.4 MB a minute.
 */
public final class ThreadLocalLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 250;
    private static final int POOL_THREADS = 4;
    private static final int QUEUE_CAPACITY = 1_000;
    private static final int ATTRIBUTE_BYTES = 48;
    private static final int CHURN_BYTES_PER_REQUEST = 8_192;

    /** The leak: values are added in {@link #serve} and {@code remove()} is never called. */
    private static final ThreadLocal<List<RequestContext>> RECENT_CONTEXTS = ThreadLocal.withInitial(ArrayList::new);

    private final ExecutorService pool = newPool();

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        pool.execute(() -> serve(requestId));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static void serve(long requestId) {
        RequestContext context = new RequestContext(
                requestId,
                System.nanoTime(),
                Long.toHexString(requestId * 0x9E3779B97F4A7C15L),
                new byte[ATTRIBUTE_BYTES]);
        RECENT_CONTEXTS.get().add(context);
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    /**
     * Four daemon threads that never time out. The queue is bounded and overflow runs on the caller so a slow machine
     * cannot turn the queue itself into a second, unintended leak; a task run that way still leaks, into the caller's
     * thread-local list.
     */
    private static ExecutorService newPool() {
        AtomicInteger threads = new AtomicInteger();
        return new ThreadPoolExecutor(
                POOL_THREADS,
                POOL_THREADS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                task -> {
                    Thread thread = new Thread(task, "request-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static final class RequestContext {
        private final long requestId;
        private final long startNanos;
        private final String traceId;
        private final byte[] attributes;

        RequestContext(long requestId, long startNanos, String traceId, byte[] attributes) {
            this.requestId = requestId;
            this.startNanos = startNanos;
            this.traceId = traceId;
            this.attributes = attributes;
        }
    }
}

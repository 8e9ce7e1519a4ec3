package dev.leakwatch.samples.controls;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Control: a bounded LRU cache of rendered pages. Nearly every request misses and inserts, so the cache reaches
 * {@link #CAPACITY} within about ten seconds and from then on every insert evicts the eldest entry: constant size,
 * constant churn of old-generation objects.
 */
public final class BoundedLruCache implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 2_000;
    private static final int CAPACITY = 20_000;
    private static final long KEY_SPACE = 10_000_000L;
    private static final int PAGE_BYTES = 1_024;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;

    private final Map<Long, CachedPage> pages = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CachedPage> eldest) {
            return size() > CAPACITY;
        }
    };

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        // A multiplicative hash spreads consecutive ids over the key space, so hits are rare and every request inserts.
        long key = Math.floorMod(requestId * 0x9E3779B97F4A7C15L, KEY_SPACE);
        CachedPage page = pages.get(key);
        if (page == null) {
            pages.put(key, new CachedPage(requestId, new byte[PAGE_BYTES]));
        } else {
            page.hits++;
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private static final class CachedPage {
        private final long renderedBy;
        private final byte[] html;
        private int hits;

        CachedPage(long renderedBy, byte[] html) {
            this.renderedBy = renderedBy;
            this.html = html;
        }
    }
}

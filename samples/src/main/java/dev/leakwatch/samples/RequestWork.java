package dev.leakwatch.samples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The short-lived garbage a request handler makes: a request body, a parsed list of values, a response string. Every
 * sample calls it so leaks have to stand out from a busy young generation, as they do in a real service.
 */
public final class RequestWork {

    /**
     * Written on every call so the JIT's escape analysis cannot prove the allocations dead and remove them; without it
     * the "churn" would be measured as nothing.
     */
    private static volatile Object sink;

    private RequestWork() {}

    /**
     * Allocates roughly {@code bytes} bytes of objects that are unreachable when this returns: a {@code byte[]} body of
     * half of it, boxed values for a quarter and a response {@code String} for the rest.
     */
    public static void churn(long requestId, int bytes) {
        byte[] body = new byte[bytes / 2];
        body[(int) (requestId % body.length)] = (byte) requestId;

        // A Long is about 16 bytes plus a 4-byte slot; values above 127 are never the cached boxes.
        int values = Math.max(1, bytes / 4 / 20);
        List<Long> parsed = new ArrayList<>(values);
        for (int i = 0; i < values; i++) {
            parsed.add(1_000L + requestId + i);
        }

        String response = new String(body, 0, bytes / 4, StandardCharsets.ISO_8859_1);
        sink = new Object[] {body, parsed, response};
    }
}

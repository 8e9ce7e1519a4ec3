package dev.leakwatch.samples.leaks.plugin;

import java.util.function.LongUnaryOperator;

/**
 * The class that {@code ClassLoaderLeak} defines again, in a fresh class loader, for every reload. It implements a JDK
 * interface so the caller can use it without reflection and without the plugin loader having to see any other sample
 * class.
 */
public final class Plugin implements LongUnaryOperator {

    private static final int SETTINGS_BYTES = 2_048;

    /** Per-instance state, so a leaked plugin holds heap as well as metaspace. */
    private final byte[] settings = new byte[SETTINGS_BYTES];

    @Override
    public long applyAsLong(long requestId) {
        int slot = (int) (requestId % settings.length);
        settings[slot]++;
        return requestId ^ settings[slot];
    }
}

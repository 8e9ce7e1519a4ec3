package dev.leakwatch.format;

import java.io.IOException;

/**
 * A directory leakwatch must not write into: a link, another user's, or writable by others. Final for the path as it
 * stands: retrying does not help until someone changes it. The message is one line saying what to do.
 */
public final class UnsafeDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeDirectoryException(String message) {
        super(message);
    }
}

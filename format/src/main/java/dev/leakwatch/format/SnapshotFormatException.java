package dev.leakwatch.format;

/** A record that is not a snapshot this build can read; the message says what is wrong in one line. */
public final class SnapshotFormatException extends Exception {
    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

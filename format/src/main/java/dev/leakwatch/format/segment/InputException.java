package dev.leakwatch.format.segment;

/**
 * Input the analyzer cannot work with. The message is one line for the user: what is wrong, where, and what to do
 * about it (the CLI prints it as is, without a stack trace).
 */
public final class InputException extends Exception {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}

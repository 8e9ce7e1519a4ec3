package dev.leakwatch.agent.options;

/** A bad agent option; the message names the key and what it accepts, in one line. */
public final class OptionsException extends Exception {
    public OptionsException(String message) {
        super(message);
    }
}

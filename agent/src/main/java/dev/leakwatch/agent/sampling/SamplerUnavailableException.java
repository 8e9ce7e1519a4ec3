package dev.leakwatch.agent.sampling;

/** The JVM's heap sampler cannot run in this JVM; the message says why in one line, for the agent's log. */
public final class SamplerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public SamplerUnavailableException(String reason) {
        super(reason);
    }

    public SamplerUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

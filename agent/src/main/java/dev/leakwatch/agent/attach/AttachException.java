package dev.leakwatch.agent.attach;

/** Why an attach or a control call could not be done: one line for the user and the exit status for scripts. */
final class AttachException extends Exception {
    private final AttachExit exit;

    AttachException(AttachExit exit, String message) {
        super(message);
        this.exit = exit;
    }

    AttachExit exit() {
        return exit;
    }
}

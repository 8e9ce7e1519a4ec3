package dev.leakwatch.agent.control;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** What {@code ./leakwatch status|snapshot|report|holders|stop PID} asks of the running session: one operation of its control. */
public enum ControlCommand {
    STATUS(AgentControlMBean::getStatus),
    SNAPSHOT(AgentControlMBean::takeSnapshot),
    REPORT(AgentControlMBean::refreshReport),
    HOLDERS(AgentControlMBean::findHolders),
    STOP(AgentControlMBean::stop);

    private final Function<AgentControlMBean, String> operation;

    ControlCommand(Function<AgentControlMBean, String> operation) {
        this.operation = operation;
    }

    /** The command as the client and the agent's arguments name it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ControlCommand> byWireName(String name) {
        for (ControlCommand command : values()) {
            if (command.wireName().equals(name)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    String runOn(AgentControlMBean control) {
        return operation.apply(control);
    }
}

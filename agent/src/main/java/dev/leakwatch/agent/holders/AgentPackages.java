package dev.leakwatch.agent.holders;

import java.util.List;

/** The agent's own code, by package: its objects hold nothing for the application, so no chain passes through them. */
public final class AgentPackages {
    /**
     * Everything the agent jar runs in the host: not {@code dev.leakwatch.samples}, the programs whose leaks the tests
     * find (their chains start at their own static fields).
     */
    public static final List<String> OWN = List.of(
            "dev.leakwatch.agent.",
            "dev.leakwatch.bootstrap.",
            "dev.leakwatch.shaded.",
            "dev.leakwatch.analyzer.",
            "dev.leakwatch.format.");

    private AgentPackages() {}

    /** Whether the class (its binary or type name) is in one of the packages. */
    public static boolean owns(List<String> packages, String className) {
        for (String prefix : packages) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

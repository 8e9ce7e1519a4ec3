package dev.leakwatch.agent;

public final class LeakwatchAgent {
}

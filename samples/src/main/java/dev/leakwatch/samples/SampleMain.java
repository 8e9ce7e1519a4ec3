package dev.leakwatch.samples;

public final class SampleMain {
}

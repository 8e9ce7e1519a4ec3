package dev.leakwatch.analyzer.cli;

public final class AnalyzerMain {
    public static void main(String[] args) {
    }
}

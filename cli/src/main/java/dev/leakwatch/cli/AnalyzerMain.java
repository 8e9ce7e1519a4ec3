package dev.leakwatch.cli;

import java.io.PrintStream;

/** {@code java -jar leakwatch-analyzer.jar}: runs the command line and exits with its status. */
public final class AnalyzerMain {
    private AnalyzerMain() {}

    public static void main(String[] args) {
        System.exit(new AnalyzerCommand(System.out, System.err).run(args));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return new AnalyzerCommand(out, err).run(args);
    }
}

package dev.leakwatch.agent.snapshot;

import dev.leakwatch.format.jcmd.JcmdHistogramParser;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Takes a class histogram in-process, through the same diagnostic command {@code jcmd PID GC.class_histogram} runs,
 * and parses its text with the analyzer's {@link JcmdHistogramParser} so the agent and a jcmd file read alike.
 *
 * <p>The platform MBean server is looked up on first use, not at construction: creating it loads and registers the
 * whole platform MXBean set, and the agent's start-up must stay cheap.
 *
 * <p>Not synchronized: one owner, the snapshot thread.
 */
public final class HistogramSampler {
    static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";
    private static final String OPERATION = "gcClassHistogram";
    private static final String[] SIGNATURE = {String[].class.getName()};
    private static final String[] LIVE_ARGUMENTS = {};
    private static final String[] ALL_ARGUMENTS = {"-all"};

    private final Supplier<MBeanServer> serverLookup;
    private MBeanServer server;
    private ObjectName diagnosticCommand;

    public HistogramSampler() {
        this(ManagementFactory::getPlatformMBeanServer);
    }

    HistogramSampler(Supplier<MBeanServer> serverLookup) {
        this.serverLookup = serverLookup;
    }

    /**
     * @param kind {@link HistogramKind#LIVE} forces a full GC and counts live objects; the other kinds count all
     *             objects without a GC and differ only in the label the caller vouches for
     * @throws JMException              when the JVM has no diagnostic command MBean or the command fails
     * @throws IllegalArgumentException when the command's output holds no histogram
     */
    public ClassHistogram take(HistogramKind kind) throws JMException {
        String[] arguments = kind == HistogramKind.LIVE ? LIVE_ARGUMENTS : ALL_ARGUMENTS;
        Object text = server().invoke(diagnosticCommand(), OPERATION, new Object[] {arguments.clone()}, SIGNATURE);
        return JcmdHistogramParser.parse(String.valueOf(text), kind);
    }

    private MBeanServer server() {
        if (server == null) {
            server = serverLookup.get();
        }
        return server;
    }

    private ObjectName diagnosticCommand() throws JMException {
        if (diagnosticCommand == null) {
            diagnosticCommand = new ObjectName(DIAGNOSTIC_COMMAND);
        }
        return diagnosticCommand;
    }
}

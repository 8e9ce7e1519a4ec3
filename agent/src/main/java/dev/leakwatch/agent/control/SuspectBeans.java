package dev.leakwatch.agent.control;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One MBean per suspect of the newest report ({@link SuspectControlMBean}), so that a JMX exporter gives each leak a
 * series labelled with its class and fingerprint: registered when a suspect appears, updated with each report,
 * unregistered when it is no longer a suspect and when the recording stops. A report's suspects are a handful (one per
 * leak), so are the beans.
 *
 * <p>Never throws into the host: a failure to register or unregister is logged once and counted, and the next report
 * tries again. Calls come from the report's refresh, which {@code LiveReport} serialises, and from {@link #clear()}.
 */
public final class SuspectBeans {
    public static final String DOMAIN = "dev.leakwatch";
    public static final String TYPE = "Suspect";

    private final Supplier<MBeanServer> servers;
    private final AgentLog log;
    private final Map<ObjectName, SuspectControl> registered = new HashMap<>();
    private MBeanServer server;
    private boolean failureLogged;

    /**
     * The platform MBean server is looked up at the first use, on our thread: the session is constructed in
     * {@code premain}, where starting the platform server (hundreds of classes) would delay the host's {@code main}.
     */
    public SuspectBeans(AgentLog log) {
        this(ManagementFactory::getPlatformMBeanServer, log);
    }

    SuspectBeans(Supplier<MBeanServer> servers, AgentLog log) {
        this.servers = servers;
        this.log = log;
    }

    private MBeanServer server() {
        if (server == null) {
            server = servers.get();
        }
        return server;
    }

    /**
     * Links this class's code before the first report, as the analysis is prewarmed: the first suspect must not load a
     * class of ours into the host once its reports are out (AgentFootprintIT).
     */
    public synchronized void prewarm() {
        try {
            server();
            // The class literal loads the bean's class and its interface; the name links the naming code.
            objectName("000000000000", SuspectControl.class.getName());
        } catch (Throwable t) {
            log.error("suspect MBeans not prepared (they may still work)", t);
        }
    }

    /** The beans for this report's suspects; a suspect without a fingerprint (none so far) gets none. */
    public synchronized void update(LeakReport report) {
        try {
            Set<ObjectName> current = new HashSet<>();
            for (Suspect suspect : report.suspects()) {
                if (suspect.fingerprint() == null) {
                    continue;
                }
                ObjectName name = objectName(suspect.fingerprint(), suspect.className());
                if (!current.add(name)) {
                    continue; // one fingerprint twice in a report: the higher ranked one, which comes first
                }
                SuspectControl bean = registered.get(name);
                if (bean != null) {
                    bean.update(suspect);
                } else {
                    bean = new SuspectControl(suspect);
                    if (server().isRegistered(name)) {
                        server().unregisterMBean(name); // left by a recording that was stopped without clearing
                    }
                    server().registerMBean(bean, name);
                    registered.put(name, bean);
                }
            }
            Iterator<ObjectName> names = registered.keySet().iterator();
            while (names.hasNext()) {
                ObjectName name = names.next();
                if (!current.contains(name)) {
                    names.remove();
                    unregister(name);
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Unregisters every bean; at stop. */
    public synchronized void clear() {
        try {
            for (ObjectName name : registered.keySet()) {
                unregister(name);
            }
        } catch (Throwable t) {
            failed(t);
        } finally {
            registered.clear();
        }
    }

    /** The names registered now; for tests. */
    synchronized Set<ObjectName> names() {
        return Set.copyOf(registered.keySet());
    }

    /**
     * {@code dev.leakwatch:type=Suspect,fingerprint=F,class=C}: the class is in the name because JMX exporters turn
     * name keys, not string attributes, into labels. A class name holding a character an object name keeps for itself
     * (a hidden class's can) is quoted.
     */
    static ObjectName objectName(String fingerprint, String className) throws Exception {
        StringBuilder name = new StringBuilder(96)
                .append(DOMAIN)
                .append(":type=")
                .append(TYPE)
                .append(",fingerprint=")
                .append(safeValue(fingerprint))
                .append(",class=")
                .append(safeValue(className));
        return new ObjectName(name.toString());
    }

    private static String safeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n' || c == '\\') {
                return ObjectName.quote(value);
            }
        }
        return value.isEmpty() ? ObjectName.quote(value) : value;
    }

    private void unregister(ObjectName name) {
        try {
            if (server().isRegistered(name)) {
                server().unregisterMBean(name);
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void failed(Throwable t) {
        if (!failureLogged) {
            failureLogged = true;
            log.error("suspect MBeans not updated; the report files and the agent's MBean are unaffected", t);
        }
    }
}

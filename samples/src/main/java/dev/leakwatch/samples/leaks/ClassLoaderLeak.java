package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import dev.leakwatch.samples.leaks.plugin.Plugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A class-loader leak: a "hot reload" defines the {@link Plugin} class again in a new {@link PluginClassLoader} and the
 * registry of loaded plugins keeps every old instance. An instance pins its class, the class pins its loader, so no
 * generation of the plugin is ever unloaded and loaded classes and metaspace grow with the reloads.
 *
 * <p>The class bytes come from this sample's own class path resource, so it works the same from the jar and from
 * {@code target/classes}. Each reload defines a class with the same name, so a class histogram shows one
 * {@code Plugin} row per generation (each with one instance) next to a single {@code PluginClassLoader} row whose count
 * grows.
 *
 * <p>Rate: one reload in {@link #REQUESTS_PER_RELOAD} requests at {@link #REQUESTS_PER_SECOND}: ten classes and
 * loaders a second, about 2 MB a minute of heap (mostly the plugins' settings) and 3.7 MB a minute of committed
 * metaspace.
 */
public final class ClassLoaderLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int REQUESTS_PER_RELOAD = 100;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;
    private static final String PLUGIN_CLASS = Plugin.class.getName();

    /** The leak: plugins are registered on reload and the previous generation is never dropped. */
    private static final List<LongUnaryOperator> LOADED_PLUGINS = new ArrayList<>();

    private final byte[] pluginBytes = readPluginBytes();
    private LongUnaryOperator current = loadPlugin(pluginBytes);

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        if (requestId % REQUESTS_PER_RELOAD == 0) {
            current = loadPlugin(pluginBytes);
        }
        current.applyAsLong(requestId);
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    private static LongUnaryOperator loadPlugin(byte[] pluginBytes) {
        PluginClassLoader loader = new PluginClassLoader(pluginBytes, ClassLoaderLeak.class.getClassLoader());
        try {
            LongUnaryOperator plugin = (LongUnaryOperator)
                    Class.forName(PLUGIN_CLASS, true, loader).getConstructor().newInstance();
            LOADED_PLUGINS.add(plugin);
            return plugin;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + PLUGIN_CLASS + " from " + loader, e);
        }
    }

    private static byte[] readPluginBytes() {
        String resource = "/" + PLUGIN_CLASS.replace('.', '/') + ".class";
        try (InputStream in = ClassLoaderLeak.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Defines the plugin class itself (child-first for that one name) and delegates everything else, so each loader
     * holds its own generation of {@code Plugin} while sharing the JDK's {@code LongUnaryOperator} with the caller.
     */
    private static final class PluginClassLoader extends ClassLoader {
        private final byte[] pluginBytes;

        PluginClassLoader(byte[] pluginBytes, ClassLoader parent) {
            super("plugin", parent);
            this.pluginBytes = pluginBytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(PLUGIN_CLASS)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = defineClass(name, pluginBytes, 0, pluginBytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}

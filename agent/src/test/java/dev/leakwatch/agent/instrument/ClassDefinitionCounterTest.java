package dev.leakwatch.agent.instrument;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.LoaderStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassDefinitionCounterTest {
    private final ClassDefinitionCounter counter = new ClassDefinitionCounter();

    static final class PluginLoader extends ClassLoader {}

    @Test
    void countsDefinitionsPerLoaderTypeAndNeverTransforms() {
        List<ClassLoader> loaders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PluginLoader loader = new PluginLoader();
            loaders.add(loader);
            for (int j = 0; j < 2; j++) {
                assertNull(
                        counter.transform(loader, "com/acme/Plugin" + j, null, null, new byte[0]),
                        "the counter never changes a class");
            }
        }
        assertNull(counter.transform(loaders.get(0), "com/acme/Plugin0", Object.class, null, new byte[0]));

        LoaderStats stats = find(PluginLoader.class.getName()).orElseThrow();
        assertEquals(3, stats.liveLoaders());
        assertEquals(6, stats.definedClasses(), "a redefinition is not a definition");
        assertTrue(loaders.size() == 3);
    }

    @Test
    void loadersAreHeldWeakly() {
        defineInThrowawayLoaders();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    System.gc();
                    return find(PluginLoader.class.getName()).isEmpty();
                });
    }

    private void defineInThrowawayLoaders() {
        for (int i = 0; i < 5; i++) {
            counter.transform(new PluginLoader(), "com/acme/Plugin", null, null, new byte[0]);
        }
        assertEquals(5, find(PluginLoader.class.getName()).orElseThrow().liveLoaders());
    }

    private Optional<LoaderStats> find(String type) {
        return counter.snapshot().stream()
                .filter(s -> s.loaderType().equals(type))
                .findFirst();
    }
}

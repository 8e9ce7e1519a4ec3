package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HistogramSamplerTest {

    @ParameterizedTest
    @EnumSource(HistogramKind.class)
    void takesAHistogramOfThisJvm(HistogramKind kind) throws JMException {
        ClassHistogram histogram = new HistogramSampler().take(kind);

        assertEquals(kind, histogram.kind());
        Set<String> names = new HashSet<>();
        for (int row = 0; row < histogram.size(); row++) {
            names.add(histogram.className(row));
        }
        assertTrue(names.contains("java.lang.String"), "java.lang.String in " + histogram);
        assertTrue(names.contains("byte[]"), "byte[] in " + histogram);
        assertTrue(histogram.totalBytes() > 0);
    }

    @Test
    void looksUpTheMBeanServerOnFirstUseOnly() throws JMException {
        AtomicInteger lookups = new AtomicInteger();
        HistogramSampler sampler = new HistogramSampler(() -> {
            lookups.incrementAndGet();
            return ManagementFactory.getPlatformMBeanServer();
        });
        assertEquals(0, lookups.get(), "constructing must stay cheap");

        sampler.take(HistogramKind.ALL);
        sampler.take(HistogramKind.ALL);

        assertEquals(1, lookups.get());
    }

    @Test
    void aJvmWithoutTheDiagnosticCommandFailsWithAJmException() {
        HistogramSampler sampler = new HistogramSampler(() -> MBeanServerFactory.newMBeanServer());

        assertThrows(JMException.class, () -> sampler.take(HistogramKind.ALL));
    }
}

package dev.leakwatch.analyzer.series;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeapSizesTest {
    @Test
    void arraysHaveASixteenByteHeaderAndAreAlignedToEightBytes() {
        assertEquals(16, HeapSizes.arrayBytes(0));
        assertEquals(24, HeapSizes.arrayBytes(1));
        assertEquals(24, HeapSizes.arrayBytes(8));
        assertEquals(32, HeapSizes.arrayBytes(9));
        assertEquals(16 + 8 * 256, HeapSizes.arrayBytes(8L * 256), "a long[256] column");
    }

    @Test
    void aStringsBytesTakeOneByteACharacterUnlessOneIsBeyondLatin1() {
        assertEquals(16, HeapSizes.stringArrayBytes(""));
        assertEquals(32, HeapSizes.stringArrayBytes("com.acme.Big"), "12 bytes after the header, aligned");
        assertEquals(24, HeapSizes.stringArrayBytes("Ünïcødé"), "Latin-1 still fits one byte a character");
        assertEquals(32, HeapSizes.stringArrayBytes("Ünïcødé\u4e2d"), "one CJK character: two bytes each");
    }
}

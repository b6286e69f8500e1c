package org.virtiotck.driver.feature;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FeatureSetTest {
    @Test
    void wordsRoundTripThroughAllFourSelects() {
        FeatureSet s = FeatureSet.NONE.with(0).with(33).with(64).with(127);
        FeatureSet back = FeatureSet.ofWords(new long[] {s.word(0), s.word(1), s.word(2), s.word(3)});
        assertEquals(s, back);
        assertEquals(1, s.word(0));
        assertEquals(2, s.word(1));
        assertEquals(1, s.word(2));
        assertEquals(0x80000000L, s.word(3));
        assertEquals(0, s.word(4));
    }

    @Test
    void namesDependOnDeviceType() {
        FeatureSet s = FeatureSet.of(Feature.VERSION_1, Feature.BLK_FLUSH).with(50);
        assertEquals("BLK_F_FLUSH|VERSION_1|bit 50", s.describe(DeviceType.BLK));
        assertEquals("NET_F_GUEST_ECN|VERSION_1|bit 50", s.describe(DeviceType.NET));
        assertEquals("bit 9|VERSION_1|bit 50", s.describe(DeviceType.CONSOLE));
    }

    @Test
    void badBitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.NONE.with(128));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.NONE.withWord(4, 1));
    }
}

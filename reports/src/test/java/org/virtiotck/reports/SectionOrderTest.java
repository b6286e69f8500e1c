package org.virtiotck.reports;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SectionOrderTest {
    @Test
    void comparesComponentsNumerically() {
        List<String> sections = new ArrayList<>(List.of("3", "2.10", "2.7.8.1", "2.7", "10.1", "2.7.8", "2.9"));
        sections.sort(SectionOrder.INSTANCE);
        assertEquals(List.of("2.7", "2.7.8", "2.7.8.1", "2.9", "2.10", "3", "10.1"), sections);
    }

    @Test
    void leadingZerosAndHugeNumbersStillCompareByValue() {
        assertEquals(0, SectionOrder.INSTANCE.compare("2.07", "2.7"));
        assertEquals(-1, Integer.signum(SectionOrder.INSTANCE.compare("2.99999999999999999999", "2.100000000000000000000")));
    }

    @Test
    void nonNumericComponentsFallBackToText() {
        assertEquals(-1, Integer.signum(SectionOrder.INSTANCE.compare("4.1.a", "4.1.b")));
    }
}

package org.virtiotck.reports.allure;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.ClauseCatalogue;

class SpecLinksTest {
    private final SpecLinks links = SpecLinks.standard();

    @Test
    void sectionsLinkToTheirHeadingLineAtTheReleaseTag() {
        assertEquals("https://github.com/oasis-tcs/virtio-spec/blob/v1.2-cs01/split-ring.tex#L454",
                links.link("1.2", "2.7.8.2").orElseThrow().url());
        assertEquals("https://github.com/oasis-tcs/virtio-spec/blob/v1.2-cs01/packed-ring.tex#L446",
                links.link("1.2", "2.8.15").orElseThrow().url());
        assertEquals("https://github.com/oasis-tcs/virtio-spec/blob/v1.2-cs01/content.tex#L4738",
                links.link("1.2", "5.2.6").orElseThrow().url());
        assertTrue(links.link("1.2", "2.99").isEmpty());
        assertTrue(links.link("9.9", "2.1").isEmpty());
    }

    @Test
    void chaptersHaveTheirTitles() {
        assertEquals("Chapter 4 Virtio Transport Options", links.chapter("1.2", "4.2.2.1").orElseThrow());
        assertEquals("Chapter 6 Reserved Feature Bits", links.chapter("1.2", "6.2").orElseThrow());
    }

    /** Every VIRTIO clause of the catalogue has a link: a section missing from the table would lose it silently. */
    @Test
    void everyCatalogueSectionHasALink() {
        List<String> missing = ClauseCatalogue.standard().areas().stream()
                .flatMap(a -> a.clauses().stream().map(c -> a.spec() + " " + c.section()))
                .filter(s -> links.link(s.split(" ")[0], s.split(" ")[1]).isEmpty()).distinct().toList();
        assertEquals(List.of(), missing);
    }
}

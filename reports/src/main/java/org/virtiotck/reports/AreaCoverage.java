package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How much of one catalogue area a run covered. A catalogued clause is covered when at least one probe reported a
 * verdict for its section and label, whatever the verdict (SKIP included): the clause was looked at.
 *
 * @param catalogued     clauses the catalogue lists for the area
 * @param covered        of those, the clauses some probe reported on
 * @param mustCatalogued catalogued MUST clauses
 * @param mustCovered    covered MUST clauses
 * @param uncovered      the catalogued clauses no probe reported on, in spec order
 */
@JsonPropertyOrder({"area", "title", "catalogued", "covered", "mustCatalogued", "mustCovered", "uncovered"})
public record AreaCoverage(String area, String title, int catalogued, int covered, int mustCatalogued, int mustCovered,
                           List<CatalogueClause> uncovered) {

    /** A clause as the matrix identifies it: spec, section and label. */
    record Reported(String spec, String section, String label) {
    }

    static AreaCoverage of(ClauseCatalogue.Area area, Set<Reported> reported) {
        List<CatalogueClause> clauses = area.clauses();
        List<CatalogueClause> uncovered = clauses.stream()
                .filter(c -> !reported.contains(new Reported(area.spec(), c.section(), c.label())))
                .sorted(Comparator.comparing(CatalogueClause::section, SectionOrder.INSTANCE))
                .toList();
        int must = (int) clauses.stream().filter(c -> c.level() == Level.MUST).count();
        int mustUncovered = (int) uncovered.stream().filter(c -> c.level() == Level.MUST).count();
        return new AreaCoverage(area.key(), area.title(), clauses.size(), clauses.size() - uncovered.size(),
                must, must - mustUncovered, uncovered);
    }
}

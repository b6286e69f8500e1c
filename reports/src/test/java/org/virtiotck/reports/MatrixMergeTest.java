package org.virtiotck.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merging matrices read back from conformance.json: columns, cells, totals, coverage and strictness per run. */
class MatrixMergeTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    /** core: three clauses, two of them MUST. */
    private static final ClauseCatalogue CATALOGUE = ClauseCatalogue.parse(List.of(new ClauseCatalogue.Source("core.json", """
            {"area": "core", "title": "Basic facilities", "spec": "1.2", "clauses": [
              {"section": "2.1", "level": "MUST", "label": "label 2.1"},
              {"section": "2.2", "level": "MUST", "label": "label 2.2"},
              {"section": "2.3", "level": "SHOULD", "label": "label 2.3"}
            ]}""")));

    @TempDir
    Path dir;

    private static ProbeResult result(String section, Level level, String target, Verdict verdict, String detail) {
        return new ProbeResult(new ClauseKey("1.2", section, "label " + section, level),
                new ProbeRun("P#m" + section, "m", target, verdict, detail, null));
    }

    /** The matrix as a later merge reads it: written to conformance.json and read back. */
    private ConformanceMatrix roundTrip(String name, boolean strict, ProbeResult... results) throws IOException {
        Path file = dir.resolve(name + ".json");
        ConformanceJson.write(ConformanceMatrix.from(List.of(results), strict, NOW, CATALOGUE), file);
        return ConformanceJson.read(file);
    }

    private ConformanceMatrix inproc() throws IOException {
        return roundTrip("inproc", false,
                result("2.1", Level.MUST, "inproc:blk?ring=split", Verdict.PASS, null),
                result("2.1", Level.MUST, "inproc:blk?ring=packed", Verdict.PASS, null),
                result("2.3", Level.SHOULD, "inproc:blk?ring=packed", Verdict.SKIP, "no EVENT_IDX"));
    }

    private ConformanceMatrix backend() throws IOException {
        return roundTrip("qsd", false,
                result("2.1", Level.MUST, "vhost-user:/s?device=blk", Verdict.KNOWN, "known deviation of qsd: evidence"),
                result("2.2", Level.MUST, "vhost-user:/s?device=blk", Verdict.WEDGED, "no used buffer"),
                result("2.3", Level.SHOULD, "vhost-user:/s?device=blk", Verdict.FAIL, "notified early"));
    }

    @Test
    void aSingleRunMergedAloneIsItsOwnMatrix() throws IOException {
        ConformanceMatrix run = inproc();
        ConformanceMatrix merged = MatrixMerge.merge(List.of(new MatrixMerge.Run("inproc", "inproc.json", run)), NOW, CATALOGUE);

        assertEquals(run.targets(), merged.targets());
        assertEquals(run.clauses(), merged.clauses());
        assertEquals(run.summary(), merged.summary());
        assertEquals(run.coverage(), merged.coverage());
        assertEquals(run.strict(), merged.strict());
        assertEquals(1, merged.runs().size());
        assertEquals(run.targets(), merged.runs().get(0).columns());
        assertNull(run.runs(), "a run's own matrix names no runs");
    }

    @Test
    void runsStandSideBySideOneRowPerClause() throws IOException {
        ConformanceMatrix merged = MatrixMerge.merge(List.of(
                new MatrixMerge.Run("inproc", "inproc.json", inproc()),
                new MatrixMerge.Run("qsd", "qsd.json", backend())), NOW, CATALOGUE);

        assertEquals(List.of("inproc:blk?ring=split", "inproc:blk?ring=packed", "vhost-user:/s?device=blk"), merged.targets());
        assertEquals(List.of("2.1", "2.2", "2.3"), merged.clauses().stream().map(ClauseRow::section).toList());
        ClauseRow first = merged.clauses().get(0);
        assertEquals(Map.of("inproc:blk?ring=split", Verdict.PASS, "inproc:blk?ring=packed", Verdict.PASS,
                "vhost-user:/s?device=blk", Verdict.KNOWN), first.cells());
        assertEquals(Verdict.KNOWN, first.verdict());
        assertEquals(Map.of("vhost-user:/s?device=blk", Verdict.WEDGED), merged.clauses().get(1).cells());
        assertEquals(Map.of(Verdict.PASS, 2, Verdict.REJECT, 0, Verdict.FAIL, 1, Verdict.WEDGED, 1, Verdict.KNOWN, 1,
                Verdict.SKIP, 1), merged.summary());
        assertEquals(List.of("inproc", "qsd"), merged.runs().stream().map(MergedRun::label).toList());
        assertEquals(Map.of(Verdict.PASS, 2, Verdict.REJECT, 0, Verdict.FAIL, 0, Verdict.WEDGED, 0, Verdict.KNOWN, 0,
                Verdict.SKIP, 1), merged.runs().get(0).summary());
    }

    @Test
    void coverageIsKeptPerRunAndCountedOverAllRuns() throws IOException {
        ConformanceMatrix merged = MatrixMerge.merge(List.of(
                new MatrixMerge.Run("a", "a.json", roundTrip("a", false, result("2.1", Level.MUST, "x", Verdict.PASS, null))),
                new MatrixMerge.Run("b", "b.json", roundTrip("b", false, result("2.3", Level.SHOULD, "y", Verdict.SKIP, null)))),
                NOW, CATALOGUE);

        AreaCoverage a = merged.runs().get(0).coverage().get(0);
        AreaCoverage b = merged.runs().get(1).coverage().get(0);
        AreaCoverage all = merged.coverage().get(0);
        assertEquals(List.of(1, 1, 1, 2), List.of(a.covered(), a.mustCovered(), b.covered(), all.covered()));
        assertEquals(1, all.mustCovered());
        assertEquals(List.of("2.2"), all.uncovered().stream().map(CatalogueClause::section).toList());
    }

    @Test
    void theSameTargetInTwoRunsGetsAColumnEach() throws IOException {
        ConformanceMatrix yesterday = roundTrip("old", false, result("2.1", Level.MUST, "inproc:blk", Verdict.FAIL, "bad"));
        ConformanceMatrix today = roundTrip("new", false, result("2.1", Level.MUST, "inproc:blk", Verdict.PASS, null));
        ConformanceMatrix merged = MatrixMerge.merge(List.of(new MatrixMerge.Run("old", "old.json", yesterday),
                new MatrixMerge.Run("new", "new.json", today)), NOW, CATALOGUE);

        assertEquals(List.of("inproc:blk", "new: inproc:blk"), merged.targets());
        assertEquals(Map.of("inproc:blk", Verdict.FAIL, "new: inproc:blk", Verdict.PASS), merged.clauses().get(0).cells());
        assertEquals(List.of("inproc:blk"), merged.runs().get(1).targets());
        assertEquals(List.of("new: inproc:blk"), merged.runs().get(1).columns());
    }

    @Test
    void eachRunKeepsItsOwnStrictness() throws IOException {
        ProbeResult shouldFail = result("2.3", Level.SHOULD, "s", Verdict.FAIL, "late");
        ConformanceMatrix merged = MatrixMerge.merge(List.of(
                new MatrixMerge.Run("strict", "s.json", roundTrip("s", true, shouldFail)),
                new MatrixMerge.Run("lenient", "l.json", roundTrip("l", false,
                        result("2.3", Level.SHOULD, "l", Verdict.FAIL, "late")))), NOW, CATALOGUE);

        assertFalse(merged.strict(), "strict only when every run was");
        assertEquals(List.of(true, false), merged.failures().stream().map(Failure::enforced).toList());
        String html = ConformanceHtml.render(merged);
        assertTrue(html.contains("<span class=\"badge v-fail\">FAIL</span></td><td class=\"cell\" data-verdict=\"FAIL\""),
                "strict run's SHOULD failure red, next to the lenient one's");
        assertTrue(html.contains("<span class=\"badge v-should\">FAIL (SHOULD)</span>"));
    }

    @Test
    void twoInputsWithTheSameLabelAreRefused() throws IOException {
        ConformanceMatrix run = inproc();
        MergeException e = assertThrows(MergeException.class, () -> MatrixMerge.merge(List.of(
                new MatrixMerge.Run("x", "a.json", run), new MatrixMerge.Run("x", "b.json", run)), NOW, CATALOGUE));
        assertEquals("b.json: label 'x' is already used by another input; give each input its own alias (alias=path)",
                e.getMessage());
    }
}

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
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceMatrixTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

    private static ProbeResult result(String section, Level level, String target, Verdict verdict) {
        return new ProbeResult(new ClauseKey("1.2", section, "label " + section, level),
                new ProbeRun("P#m", "m", target, verdict, null, null));
    }

    @Test
    void targetsKeepFirstSeenOrderAndSummaryCountsRuns() {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                result("2.1", Level.MUST, "b", Verdict.PASS),
                result("2.1", Level.MUST, "a", Verdict.SKIP),
                result("2.2", Level.MUST, "b", Verdict.PASS)), false, NOW);

        assertEquals(List.of("b", "a"), matrix.targets());
        assertEquals(List.of(Verdict.PASS, Verdict.REJECT, Verdict.FAIL, Verdict.WEDGED, Verdict.KNOWN, Verdict.SKIP),
                List.copyOf(matrix.summary().keySet()));
        assertEquals(Map.of(Verdict.PASS, 2, Verdict.REJECT, 0, Verdict.FAIL, 0, Verdict.WEDGED, 0, Verdict.KNOWN, 0,
                Verdict.SKIP, 1), matrix.summary());
        assertEquals(3, matrix.runCount());
        assertEquals("2025-01-02T03:04:05Z", matrix.generated());
    }

    @Test
    void skipIsLeastSevereSoAnyRealOutcomeShows() {
        ClauseRow row = ConformanceMatrix.from(List.of(
                result("2.1", Level.MUST, "a", Verdict.SKIP),
                result("2.1", Level.MUST, "a", Verdict.PASS)), false, NOW).clauses().get(0);
        assertEquals(Map.of("a", Verdict.PASS), row.cells());
        assertEquals(Verdict.PASS, row.verdict());
    }

    @Test
    void aClauseDeclaredAtBothLevelsIsTreatedAsMust() {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                result("2.1", Level.SHOULD, "a", Verdict.FAIL),
                result("2.1", Level.MUST, "a", Verdict.PASS)), false, NOW);
        assertEquals(1, matrix.clauses().size());
        assertEquals(Level.MUST, matrix.clauses().get(0).level());
        assertTrue(matrix.failures().get(0).enforced());
    }

    @Test
    void shouldFailuresCountOnlyWhenStrictAndWedgedAlwaysCounts() {
        List<ProbeResult> results = List.of(
                result("2.1", Level.SHOULD, "a", Verdict.FAIL),
                result("2.2", Level.SHOULD, "a", Verdict.WEDGED));
        List<Failure> lenient = ConformanceMatrix.from(results, false, NOW).failures();
        List<Failure> strict = ConformanceMatrix.from(results, true, NOW).failures();

        assertFalse(lenient.get(0).enforced());
        assertTrue(lenient.get(1).enforced());
        assertTrue(strict.get(0).enforced());
    }

    @Test
    void knownDeviationIsListedShownAboveAPassAndNeverEnforced() {
        List<ProbeResult> results = List.of(
                result("2.1", Level.MUST, "a", Verdict.PASS),
                result("2.1", Level.MUST, "a", Verdict.KNOWN));
        ConformanceMatrix matrix = ConformanceMatrix.from(results, true, NOW);
        assertEquals(Verdict.KNOWN, matrix.clauses().get(0).verdict());
        assertEquals(1, matrix.summary().get(Verdict.KNOWN));
        assertEquals(1, matrix.failures().size());
        assertFalse(matrix.failures().get(0).enforced());
    }

    @Test
    void rejectShowsAboveAPassBelowAFailAndNeverFailsTheBuild() {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                result("2.1", Level.MUST, "a", Verdict.PASS),
                result("2.1", Level.MUST, "a", Verdict.REJECT),
                result("2.2", Level.MUST, "a", Verdict.REJECT),
                result("2.2", Level.MUST, "b", Verdict.FAIL)), true, NOW);
        assertEquals(Verdict.REJECT, matrix.clauses().get(0).verdict());
        assertEquals(Map.of("a", Verdict.REJECT, "b", Verdict.FAIL), matrix.clauses().get(1).cells());
        assertEquals(2, matrix.summary().get(Verdict.REJECT));
        assertEquals(1, matrix.failures().size());
        assertFalse(matrix.clauses().get(0).enforces(Verdict.REJECT, true));
    }

    @Test
    void jsonReadsBackIntoAnEqualMatrix(@TempDir Path dir) throws IOException {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                result("2.10", Level.MUST, "a", Verdict.FAIL),
                result("2.9", Level.SHOULD, "b", Verdict.PASS)), true, NOW);
        Path file = dir.resolve("conformance.json");

        ConformanceJson.write(matrix, file);
        assertEquals(matrix, ConformanceJson.read(file));
    }
}

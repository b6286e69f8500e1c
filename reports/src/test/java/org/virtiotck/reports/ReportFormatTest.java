package org.virtiotck.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFormatTest {
    @TempDir
    Path out;

    @Test
    void blankMeansEveryFormatAndNamesAreCaseInsensitive() {
        assertEquals(EnumSet.allOf(ReportFormat.class), ReportFormat.parseList(""));
        assertEquals(EnumSet.allOf(ReportFormat.class), ReportFormat.parseList(null));
        assertEquals(EnumSet.of(ReportFormat.JSON, ReportFormat.JUNIT), ReportFormat.parseList("junit, JSON"));
    }

    @Test
    void anUnknownFormatNamesTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFormat.parseList("html,xml"));
        assertEquals("'xml' is not a report format; accepted: html, json, junit", e.getMessage());
    }

    @Test
    void publishWritesOnlyTheChosenFilesAndTheSummaryNamesOnlyThose() throws IOException {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(new ProbeResult(
                new ClauseKey("1.2", "2.7.8.2", "used len", Level.MUST),
                new ProbeRun("P#m", "m", "inproc:rng", Verdict.PASS, null, null))), false, Instant.EPOCH, ClauseCatalogue.EMPTY);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport.publish(matrix, out, EnumSet.of(ReportFormat.JUNIT),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertTrue(Files.exists(out.resolve(ConformanceReport.JUNIT_FILE)));
        assertFalse(Files.exists(out.resolve(ConformanceReport.JSON_FILE)));
        assertFalse(Files.exists(out.resolve(ConformanceReport.HTML_FILE)));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("PASS 1"), printed);
        assertFalse(printed.contains("virtio-tck report:") || printed.contains("virtio-tck json:"), printed);
    }
}

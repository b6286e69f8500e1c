package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.CampaignSummary;
import org.virtiotck.reports.ConformanceReport;
import org.virtiotck.reports.ProbeRun;
import org.virtiotck.reports.Verdict;

/** Real runs of the main entry against the reference entropy device: reports, fuzz summary, exit status 0. */
class VirtioTckRunTest {
    @TempDir
    Path temp;

    @Test
    void rngProbesAndAShortFuzzRunWriteEveryReportAndPass() throws IOException {
        Path out = temp.resolve("report");
        CliRun run = CliRun.of("--target", "inproc:rng", "--only", "5.4,fuzz", "--fuzz-tries", "3", "--seed", "42",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        for (String file : List.of(ConformanceReport.HTML_FILE, ConformanceReport.JSON_FILE, ConformanceReport.JUNIT_FILE)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        List<ProbeRun> runs = Reports.runs(out);
        assertEquals(Set.of(Verdict.PASS), runs.stream().map(ProbeRun::verdict).collect(Collectors.toSet()), runs.toString());
        assertEquals(4, runs.stream().map(ProbeRun::target).distinct().count(), "mmio and pci, split and packed");
        assertTrue(runs.stream().allMatch(r -> r.probe().startsWith("Rng")), runs.toString());
        assertTrue(Files.readString(out.resolve(ConformanceReport.JUNIT_FILE)).contains("RngDataProbes"));

        CampaignSummary fuzz = CampaignSummary.read(out.resolve("fuzz-summary.json"));
        assertEquals("42", fuzz.seed());
        assertEquals(3 * 4, fuzz.cases(), "3 cases on each of the 4 variants");
        assertTrue(run.out().contains("fuzz summary: inproc:rng seed 42"), run.out());
        // Progress on stderr: the last line of the probes says all are done.
        List<String> progress = run.errLines().stream().filter(l -> l.startsWith("virtio-tck probes: ")).toList();
        assertFalse(progress.isEmpty(), run.err());
        String last = progress.get(progress.size() - 1);
        assertTrue(last.matches("virtio-tck probes: (\\d+)/\\1 done, " + runs.size() + " runs, 0 failed, \\d+:\\d\\d elapsed"), last);
    }

    @Test
    void formatWritesOnlyTheFilesAskedForAndNoFuzzRunsTheProbesOnly() throws IOException {
        Path out = temp.resolve("json-only");
        CliRun run = CliRun.of("--target", "inproc:rng?transport=mmio&ring=split", "--format", "json", "--no-fuzz",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.exists(out.resolve(ConformanceReport.JSON_FILE)));
        assertFalse(Files.exists(out.resolve(ConformanceReport.HTML_FILE)));
        assertFalse(Files.exists(out.resolve(ConformanceReport.JUNIT_FILE)));
        assertFalse(Files.exists(out.resolve("fuzz-summary.json")), "--no-fuzz");
        assertFalse(run.out().contains("virtio-tck report:"), "no HTML file to name");
        List<ProbeRun> runs = Reports.runs(out);
        // Every probe ran once on the one variant: the rng's own PASS, the other devices' probes SKIP.
        assertEquals(Set.of("inproc:rng?transport=mmio&ring=split"), runs.stream().map(ProbeRun::target).collect(Collectors.toSet()));
        assertTrue(runs.stream().anyMatch(r -> r.probe().equals("RngDataProbes#everyRequestGetsAtLeastOneByte")
                && r.verdict() == Verdict.PASS), runs.toString());
        assertFalse(runs.stream().anyMatch(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.WEDGED), runs.toString());
    }
}

package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.CampaignSummary;
import org.virtiotck.reports.ProbeRun;
import org.virtiotck.reports.Verdict;

/**
 * A run against a deliberately faulty device ({@link ExtraByteRng}) FAILs with exit status 1 and prints, for each
 * failure, the command that reruns it with the jar; the words of that command, given to the main entry again,
 * rerun exactly that probe on exactly that variant, with the same FAIL.
 */
class FaultyDeviceReproduceTest {
    private static final String REPRODUCE = "reproduce: ";

    @TempDir
    Path temp;

    @Test
    void aFailurePrintsAJarReproducerThatFailsTheSameWay() throws IOException {
        Path first = temp.resolve("first");
        CliRun run = CliRun.of("--target", "inproc:" + ExtraByteRng.NAME, "--only", "5.4", "--no-fuzz",
                "--out", first.toString());
        assertEquals(VirtioTck.FAILED, run.exit(), run.err());
        List<ProbeRun> failed = Reports.runs(first).stream().filter(r -> r.verdict() == Verdict.FAIL).toList();
        assertFalse(failed.isEmpty(), "used len one past the bytes written fails the rng probes");

        String line = run.out().lines().map(String::strip).filter(l -> l.startsWith(REPRODUCE)).findFirst()
                .orElseThrow(() -> new AssertionError("no reproduce line in\n" + run.out()));
        List<String> words = CliRun.words(line.substring(REPRODUCE.length()));
        assertEquals(List.of("java", "-jar", JarName.DEFAULT, "--target"), words.subList(0, 4), line);
        String variant = words.get(4);
        String probe = words.get(6);
        assertEquals("--only", words.get(5), line);
        assertTrue(failed.stream().anyMatch(r -> r.probe().equals(probe) && r.target().equals(variant)),
                "the reproduce line names a failed run: " + line);

        Path second = temp.resolve("second");
        List<String> again = new ArrayList<>(words.subList(3, words.size()));
        again.addAll(List.of("--out", second.toString()));
        CliRun rerun = CliRun.of(again.toArray(String[]::new));
        assertEquals(VirtioTck.FAILED, rerun.exit(), rerun.err());
        List<ProbeRun> runs = Reports.runs(second);
        assertEquals(Set.of(probe), runs.stream().map(ProbeRun::probe).collect(Collectors.toSet()), "that probe only");
        assertEquals(List.of(variant), runs.stream().map(ProbeRun::target).toList(), "on that variant only, once");
        assertEquals(Verdict.FAIL, runs.get(0).verdict(), runs.toString());
        assertTrue(rerun.out().contains(line), "the rerun prints the same reproduce line:\n" + rerun.out());
    }

    @Test
    void theReferenceDevicePassesTheSameProbes() throws IOException {
        Path out = temp.resolve("reference");
        CliRun run = CliRun.of("--target", "inproc:rng", "--only", "5.4", "--no-fuzz", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertFalse(run.out().contains(REPRODUCE), run.out());
        assertTrue(Reports.runs(out).stream().allMatch(r -> r.verdict() == Verdict.PASS));
    }

    @Test
    void aFuzzFindingFailsTheRunAndItsJarReproducerFindsItAgain() throws IOException {
        Path first = temp.resolve("fuzz-first");
        CliRun run = CliRun.of("--target", "inproc:" + ExtraByteRng.NAME + "?transport=mmio&ring=split", "--only", "fuzz",
                "--fuzz-tries", "5", "--seed", "1", "--out", first.toString());
        assertEquals(VirtioTck.FAILED, run.exit(), run.err());
        CampaignSummary summary = CampaignSummary.read(first.resolve("fuzz-summary.json"));
        assertEquals(1, summary.failedRounds(), run.out());
        String line = summary.distinctFindings().get(0).reproduce();
        assertTrue(run.out().contains("reproduce: " + line), run.out());
        List<String> words = CliRun.words(line);
        assertEquals(List.of("java", "-jar", JarName.DEFAULT, "--target", "inproc:" + ExtraByteRng.NAME
                + "?transport=mmio&ring=split", "--only", "fuzz", "--seed"), words.subList(0, 8), line);

        Path second = temp.resolve("fuzz-second");
        List<String> again = new ArrayList<>(words.subList(3, words.size()));
        again.addAll(List.of("--out", second.toString()));
        CliRun rerun = CliRun.of(again.toArray(String[]::new));
        assertEquals(VirtioTck.FAILED, rerun.exit(), rerun.err());
        CampaignSummary repeated = CampaignSummary.read(second.resolve("fuzz-summary.json"));
        assertEquals(summary.distinctFindings().get(0).signature(), repeated.distinctFindings().get(0).signature());
        assertEquals(summary.seed(), repeated.seed());
    }
}

package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.CampaignSummary;
import org.virtiotck.reports.ConformanceReport;
import org.virtiotck.reports.ProbeRun;
import org.virtiotck.reports.Verdict;

/**
 * The shaded jar as a user runs it: {@code java -jar virtio-tck.jar} in a process of its own, in an empty working
 * directory, so that the merged service files (JUnit's Jupiter and jqwik engines, the report listener, the
 * in-process devices) and the manifest are what make it work.
 */
class JarIT {
    private static final Path JAR = Path.of(System.getProperty("virtio.tck.jar.file", "target/virtio-tck.jar")).toAbsolutePath();

    @TempDir
    Path work;

    private record Ran(int exit, String out, String err) {
    }

    private Ran java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the jar ran for five minutes");
        Ran ran = new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        System.out.print(ran.out());
        System.err.print(ran.err());
        return ran;
    }

    @Test
    void listsTheProbesWithoutATarget() throws Exception {
        Ran ran = java("--list");
        assertEquals(0, ran.exit(), ran.err());
        assertTrue(ran.out().lines().anyMatch(l -> l.equals("5.4.6.2 [MUST] device places at least one random byte in each "
                + "buffer it uses — RngDataProbes#everyRequestGetsAtLeastOneByte")), ran.out());
        assertTrue(ran.out().lines().count() > 200, ran.out());
    }

    @Test
    void runsAProbeAndTheFuzzRunThroughBothEngines() throws Exception {
        Ran ran = java("--target", "inproc:rng", "--only", "RngDataProbes#everyRequestGetsAtLeastOneByte,fuzz",
                "--fuzz-tries", "2", "--seed", "7");
        assertEquals(0, ran.exit(), ran.err());
        Path out = work.resolve("virtio-tck-report");
        List<ProbeRun> runs = Reports.runs(out);
        assertEquals(4, runs.size(), runs.toString());
        assertTrue(runs.stream().allMatch(r -> r.verdict() == Verdict.PASS), runs.toString());
        assertTrue(Files.exists(out.resolve(ConformanceReport.HTML_FILE)) && Files.exists(out.resolve(ConformanceReport.JUNIT_FILE)));
        // jqwik generated the cases: its engine was found in the jar.
        assertEquals(2 * 4, CampaignSummary.read(out.resolve("fuzz-summary.json")).cases());
        assertFalse(Files.exists(work.resolve(".jqwik-database")), "jqwik keeps its database in the report directory");
        assertFalse(Files.exists(work.resolve("target")), "nothing written outside the report directory");
    }

    @Test
    void aBadTargetIsOneLineAndExitTwo() throws Exception {
        Ran ran = java("--target", "inproc:nosuchdevice");
        assertEquals(2, ran.exit());
        assertEquals(1, ran.err().lines().count(), ran.err());
        assertTrue(ran.err().startsWith("virtio-tck: bad target: no in-process device 'nosuchdevice'. Accepted: "), ran.err());
    }
}

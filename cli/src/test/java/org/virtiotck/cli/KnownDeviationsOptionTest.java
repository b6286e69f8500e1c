package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.ProbeRun;
import org.virtiotck.reports.Verdict;

/** --known-deviations reaches the probes: the faulty rng's explained FAIL is KNOWN and the run exits 0. */
class KnownDeviationsOptionTest {
    private static final String PROBE = "RngDataProbes#everyRequestGetsAtLeastOneByte";
    private static final String TARGET = "inproc:" + ExtraByteRng.NAME + "?transport=pci&ring=split";

    @TempDir
    Path temp;

    private CliRun run(String... extra) {
        List<String> args = new ArrayList<>(List.of("--target", TARGET, "--only", PROBE));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void anExplainedFailureIsKnownAndDoesNotFailTheRun() throws IOException {
        Path list = Files.writeString(temp.resolve("known.json"), """
                {"backend": "cli-extra-byte-rng 1", "deviations": [
                  {"probe": "%s", "clause": "§2.7.8.2 used len", "evidence": "used len one past the bytes written"}]}
                """.formatted(PROBE));
        Path unexplained = temp.resolve("unexplained");
        assertEquals(VirtioTck.FAILED, run("--out", unexplained.toString()).exit());

        Path explained = temp.resolve("explained");
        CliRun known = run("--known-deviations", list.toString(), "--out", explained.toString());
        assertEquals(0, known.exit(), known.err());
        List<ProbeRun> runs = Reports.runs(explained);
        assertEquals(List.of(Verdict.KNOWN), runs.stream().map(ProbeRun::verdict).toList(), runs.toString());
    }

    @Test
    void aBadListIsOneLineAndExitTwo() throws IOException {
        Path bad = Files.writeString(temp.resolve("bad.json"), "{\"backend\": \"x\"}");
        CliRun run = run("--known-deviations", bad.toString(), "--out", temp.resolve("none").toString());
        assertEquals(VirtioTck.USAGE, run.exit());
        assertEquals(List.of("virtio-tck: bad known-deviation list " + bad + ": no \"deviations\" array"), run.errLines());
    }
}

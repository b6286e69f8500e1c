package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --list: every probe with its clause, one per line, needing no target; --only narrows it. */
class VirtioTckListTest {
    private static final String RNG_BYTE = "5.4.6.2 [MUST] device places at least one random byte in each buffer it uses"
            + " — RngDataProbes#everyRequestGetsAtLeastOneByte";

    private static List<String> lines(CliRun run) {
        return run.out().lines().toList();
    }

    @Test
    void listsEveryProbeWithSectionLevelAndLabelWithoutATarget() {
        CliRun run = CliRun.of("--list");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = lines(run);
        assertTrue(lines.contains(RNG_BYTE), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("5.2.6 [") && l.endsWith(" — BlkIoProbes#getIdIsNulPaddedAscii")),
                run.out());
        // A ring clause shows its packed-ring twin.
        assertTrue(lines.stream().anyMatch(l -> l.matches("2\\.7\\.\\S+/2\\.8\\.\\S+ \\[(MUST|SHOULD)] .+ — \\w+Probes#\\w+")),
                run.out());
        assertTrue(lines.stream().allMatch(l -> l.matches("\\d[\\d.]*(/[\\d.]+)? \\[(MUST|SHOULD)] .+ — \\w+Probes#\\w+")),
                run.out());
        assertEquals(lines.size(), lines.stream().distinct().count(), "each probe once");
        assertTrue(lines.size() > 200, "the whole catalogue of probes: " + lines.size());
    }

    @Test
    void onlyNarrowsTheListBySectionClassOrProbe() {
        List<String> all = lines(CliRun.of("--list"));
        List<String> rng = lines(CliRun.of("--list", "--only", "5.4"));
        assertEquals(all.stream().filter(l -> l.startsWith("5.4 ") || l.startsWith("5.4.")).toList(), rng);
        assertTrue(rng.contains(RNG_BYTE), String.join("\n", rng));

        assertEquals(List.of(RNG_BYTE), lines(CliRun.of("--list", "--only", "RngDataProbes#everyRequestGetsAtLeastOneByte")));
        List<String> both = lines(CliRun.of("--list", "--only", "RngDataProbes,5.2.6"));
        assertTrue(both.contains(RNG_BYTE) && both.stream().anyMatch(l -> l.endsWith("BlkIoProbes#getIdIsNulPaddedAscii")),
                String.join("\n", both));
    }
}

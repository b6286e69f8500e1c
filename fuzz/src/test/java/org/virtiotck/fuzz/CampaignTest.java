package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short real campaigns: on the reference blk device one runs clean and its summary counts the cases; on a faulty
 * device a failing round does not stop it, and every round's finding of the same fault is one distinct finding
 * with its saved regression and reproduce line.
 */
class CampaignTest {

    private static CampaignSettings settings(String target, Duration d) {
        return new CampaignSettings(target, Optional.of(d), 20261126L, new Shard(1, 2), 30, 1000);
    }

    @Test
    void aThreeSecondCampaignOnInprocBlkRunsCleanAndSummarizes(@TempDir Path dir) {
        Campaign campaign = new Campaign(settings("inproc:blk", Duration.ofSeconds(3)));
        List<String> variants = TargetFuzz.fuzzable("inproc:blk").stream().map(v -> v.canonical()).toList();
        campaign.runFor(variants, Duration.ofSeconds(3));
        CampaignSummary summary = CampaignSummary.read(campaign.summary().write(dir.resolve("fuzz/summary.json")));
        assertTrue(summary.cases() > 0, summary.text());
        assertTrue(summary.rounds() >= 1 && summary.casesPerSecond() > 0, summary.text());
        assertTrue(summary.elapsedSeconds() >= 3, summary.text());
        assertEquals("inproc:blk", summary.target());
        assertEquals("20261126", summary.seed());
        assertEquals("1/2", summary.shard());
        assertEquals("PT3S", summary.duration());
        assertEquals(0, summary.failedRounds(), summary.text());
        assertEquals(List.of(), summary.distinctFindings());
        assertNull(campaign.failureReport());
    }

    @Test
    void aCampaignGoesOnAfterAFailingRoundAndCountsTheFaultOnce(@TempDir Path dir) throws IOException {
        String before = System.getProperty(FuzzHook.DIRECTORY_PROPERTY);
        System.setProperty(FuzzHook.DIRECTORY_PROPERTY, dir.toString());
        Campaign campaign = new Campaign(settings(PastThirdDescriptorBlk.TARGET, Duration.ofSeconds(6)));
        try {
            campaign.runFor(List.of(PastThirdDescriptorBlk.TARGET), Duration.ofSeconds(6));
        } finally {
            if (before == null) {
                System.clearProperty(FuzzHook.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FuzzHook.DIRECTORY_PROPERTY, before);
            }
        }
        CampaignSummary summary = campaign.summary();
        assertTrue(summary.failedRounds() >= 2, "the campaign stopped at its first failing round: " + summary.text());
        assertEquals(1, summary.distinctFindings().size(), summary.text());
        CampaignSummary.Distinct d = summary.distinctFindings().get(0);
        assertEquals("driver", d.oracle(), summary.text());
        assertEquals(summary.failedRounds(), d.rounds(), summary.text());
        assertNotNull(d.regression(), summary.text());
        assertTrue(Files.isRegularFile(Path.of(d.regression())), d.regression());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(Path.of(d.regression())), files.toList(), "one regression file per distinct finding");
        }
        assertTrue(d.reproduce().contains("-Dfuzz.seed=" + FuzzRegression.read(Path.of(d.regression())).seed()), d.reproduce());
        assertTrue(summary.findingsByOracle().getOrDefault("driver", 0L) >= summary.failedRounds(), summary.text());
        String report = campaign.failureReport();
        assertNotNull(report);
        assertTrue(report.contains(d.reproduce()) && report.contains(d.regression()), report);
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.virtiotck.harness.target.KnownDeviations;

/**
 * A distinct finding that a known-deviation list's fuzz entry explains is reported as known: the campaign does
 * not fail for it, keeps no regression file, and lists it apart; one the entry does not match still fails.
 */
class KnownFuzzFindingTest {

    private static Campaign campaignWith(String pattern, Path dir) throws IOException {
        Path list = Files.writeString(dir.resolve("known.json"), "{\"backend\": \"planted fault\", \"deviations\": [{"
                + "\"fuzz\": \"" + pattern + "\", \"target\": \"fuzz-blk-past-third\", \"clause\": \"§2.7.5.1\", "
                + "\"evidence\": \"writes one byte past the last writable buffer of 3+ descriptor chains\"}]}");
        String before = System.getProperty(KnownDeviations.PARAMETER);
        System.setProperty(KnownDeviations.PARAMETER, list.toString());
        try {
            return new Campaign(new CampaignSettings(PastThirdDescriptorBlk.TARGET, Optional.of(Duration.ofSeconds(2)),
                    20261126L, new Shard(0, 1), 200, 200));
        } finally {
            if (before == null) {
                System.clearProperty(KnownDeviations.PARAMETER);
            } else {
                System.setProperty(KnownDeviations.PARAMETER, before);
            }
        }
    }

    private static VariantFuzz.Round oneRound(Campaign campaign, Path regressions) {
        String before = System.getProperty(FuzzHook.DIRECTORY_PROPERTY);
        System.setProperty(FuzzHook.DIRECTORY_PROPERTY, regressions.toString());
        try {
            VariantFuzz.Round round = campaign.round(PastThirdDescriptorBlk.TARGET, "20261126", 200);
            assertTrue(round.failure().isPresent(), "the planted fault was found");
            return round;
        } finally {
            if (before == null) {
                System.clearProperty(FuzzHook.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FuzzHook.DIRECTORY_PROPERTY, before);
            }
        }
    }

    @Test
    void aMatchingFuzzEntryMakesTheFindingKnown(@TempDir Path dir) throws IOException {
        Path regressions = Files.createDirectories(dir.resolve("regressions"));
        Campaign campaign = campaignWith("\\\\[driver\\\\] WRITE_OUTSIDE_WRITABLE .* \\\\| blk, 3 descriptors", dir);
        VariantFuzz.Round round = oneRound(campaign, regressions);
        assertTrue(campaign.explained(round).isPresent(), "the round is explained, after its file is gone too");
        CampaignSummary summary = campaign.summary();
        assertEquals(List.of(), summary.distinctFindings(), summary.text());
        assertEquals(1, summary.knownFindings().size(), summary.text());
        assertTrue(summary.knownFindings().get(0).signature().endsWith("| blk, 3 descriptors"), summary.text());
        assertNull(campaign.failureReport());
        try (Stream<Path> files = Files.list(regressions)) {
            assertEquals(List.of(), files.toList(), "no regression file for a known finding");
        }
    }

    @Test
    void anEntryForAnotherFindingLeavesItDistinct(@TempDir Path dir) throws IOException {
        Path regressions = Files.createDirectories(dir.resolve("regressions"));
        Campaign campaign = campaignWith("\\\\[status\\\\] .*", dir);
        assertTrue(campaign.explained(oneRound(campaign, regressions)).isEmpty());
        CampaignSummary summary = campaign.summary();
        assertEquals(1, summary.distinctFindings().size(), summary.text());
        assertEquals(List.of(), summary.knownFindings());
        assertTrue(campaign.failureReport() != null);
    }
}

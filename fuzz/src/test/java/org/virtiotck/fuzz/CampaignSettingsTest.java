package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Campaign settings parse the accepted forms, and each bad value stops the run with one line naming it. */
class CampaignSettingsTest {

    private static CampaignSettings parse(String duration, String seed, String shard) {
        return CampaignSettings.parse("inproc:blk", duration, seed, shard, "", "");
    }

    @Test
    void acceptedFormsParse() {
        CampaignSettings s = parse("PT8H", "-42", "3/4");
        assertEquals(Optional.of(Duration.ofHours(8)), s.duration());
        assertEquals(-42, s.seed());
        assertEquals(new Shard(3, 4), s.shard());
        assertEquals(TargetFuzz.DEFAULT_TRIES, s.tries());
        assertEquals(CampaignSettings.DEFAULT_ROUND_TRIES, s.roundTries());
        CampaignSettings ci = parse("", "", "");
        assertEquals(Optional.empty(), ci.duration());
        assertEquals(Shard.WHOLE, ci.shard());
        assertEquals(Duration.ofSeconds(30), parse(" PT30S ", "1", " 0 / 2 ").duration().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "8h    | 1   |     | fuzz.duration | PT8H",
        "PT0S  | 1   |     | fuzz.duration | PT30S",
        "-PT1H | 1   |     | fuzz.duration | ISO-8601",
        "PT1H  | abc |     | fuzz.seed     | 64-bit decimal integer",
        "PT1H  | 1.5 |     | fuzz.seed     | 64-bit decimal integer",
        "PT1H  | 1   | 3/3 | fuzz.shard    | 0 <= i < n",
        "PT1H  | 1   | 1   | fuzz.shard    | i/n",
        "PT1H  | 1   | a/b | fuzz.shard    | i/n",
        "PT1H  | 1   | -1/2| fuzz.shard    | 0 <= i < n",
        "PT1H  | 1   | 0/0 | fuzz.shard    | 0 <= i < n",
        "      | 1   | 0/2 | fuzz.shard    | fuzz.duration"})
    void aBadValueGivesOneLineNamingItAndTheAcceptedForms(String duration, String seed, String shard,
            String property, String accepted) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(duration == null ? "" : duration, seed, shard == null ? "" : shard));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains("-D" + property), message);
        assertTrue(message.contains(accepted), message);
    }

    @Test
    void badTriesAreNamedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CampaignSettings.parse("inproc:blk", "", "1", "", "0", ""));
        assertTrue(e.getMessage().contains("-Dfuzz.tries") && e.getMessage().contains("positive integer"), e.getMessage());
    }
}

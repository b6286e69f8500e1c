package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Round seeds are reproducible, and the shards of one campaign never share one. */
class RoundSeedsTest {

    @Test
    void shardsOfOneCampaignNeverRepeatEachOthersSeeds() {
        for (long campaign : List.of(0L, 42L, -1L, Long.MAX_VALUE)) {
            for (int n : List.of(1, 2, 3, 8)) {
                Set<Long> seen = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    for (long round = 0; round < 2000; round++) {
                        long seed = RoundSeeds.of(campaign, round, new Shard(i, n));
                        assertEquals(true, seen.add(seed), "campaign " + campaign + " shard " + i + "/" + n
                                + " round " + round + " repeats seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void theSameRoundOfTheSameShardGetsTheSameSeedAndNeighboursDiffer() {
        Shard shard = new Shard(2, 5);
        assertEquals(RoundSeeds.of(7, 11, shard), RoundSeeds.of(7, 11, new Shard(2, 5)));
        assertNotEquals(RoundSeeds.of(7, 11, shard), RoundSeeds.of(7, 12, shard));
        assertNotEquals(RoundSeeds.of(7, 11, shard), RoundSeeds.of(8, 11, shard));
        // Not the campaign seed plus a small offset: neighbouring rounds must not start jqwik from near seeds.
        long a = RoundSeeds.of(7, 0, Shard.WHOLE);
        long b = RoundSeeds.of(7, 1, Shard.WHOLE);
        assertEquals(true, Long.bitCount(a ^ b) > 8, Long.toHexString(a) + " vs " + Long.toHexString(b));
    }

    @Test
    void aNegativeRoundIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RoundSeeds.of(1, -1, Shard.WHOLE));
    }
}

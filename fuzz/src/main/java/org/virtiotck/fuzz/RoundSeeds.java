package org.virtiotck.fuzz;

/**
 * The seed of each round of a campaign, from the campaign seed, the round number and the shard. Round r of shard
 * i/n is the (r*n + i)-th round of the whole campaign, and that index goes through a bijection of the 64-bit
 * integers (an odd multiplier and xor-shifts, as in SplitMix64): distinct rounds of any shards of one campaign
 * seed get distinct seeds, and neighbouring rounds get unrelated ones.
 */
public final class RoundSeeds {
    private RoundSeeds() {
    }

    public static long of(long campaignSeed, long round, Shard shard) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round + " is negative");
        }
        return mix(campaignSeed + round * shard.count() + shard.index());
    }

    /** A bijection: each step (xor with a right shift of itself, multiply by an odd constant) is invertible. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

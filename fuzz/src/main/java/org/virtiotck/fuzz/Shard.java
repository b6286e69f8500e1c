package org.virtiotck.fuzz;

/**
 * Which part of a campaign one machine runs: shard {@code index} of {@code count}. Machines started with shards
 * 0/n to n-1/n and the same campaign seed never run the same round seed ({@link RoundSeeds}).
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);
    static final String ACCEPTED = "accepted: i/n with 0 <= i < n, e.g. 0/4 to 3/4";

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("bad shard " + index + "/" + count + "; " + ACCEPTED);
        }
    }

    /** Parses {@code i/n}; blank is the whole campaign. */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return WHOLE;
        }
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].strip());
                int count = Integer.parseInt(parts[1].strip());
                if (count >= 1 && index >= 0 && index < count) {
                    return new Shard(index, count);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the one-line message below
        }
        throw new IllegalArgumentException("bad -D" + CampaignSettings.SHARD + " '" + text + "'; " + ACCEPTED);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}

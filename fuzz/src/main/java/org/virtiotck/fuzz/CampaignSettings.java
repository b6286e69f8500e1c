package org.virtiotck.fuzz;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Random;

/**
 * What a fuzz run was asked for: the target, how long (none: one round per variant, bounded for CI), the
 * campaign seed, the shard, and the cases of each round. Every bad value stops the run with one line that names
 * it and the accepted forms.
 */
public record CampaignSettings(String target, Optional<Duration> duration, long seed, Shard shard, int tries,
        int roundTries) {
    public static final String DURATION = "fuzz.duration";
    public static final String SHARD = "fuzz.shard";
    public static final String ROUND_TRIES = "fuzz.round-tries";
    static final int DEFAULT_ROUND_TRIES = 1000;

    public CampaignSettings {
        if (tries < 1 || roundTries < 1) {
            throw new IllegalArgumentException("bad tries " + tries + "/" + roundTries + "; accepted: a positive integer");
        }
    }

    /** The settings the system properties give (the fuzz module's pom passes them to Failsafe). */
    public static CampaignSettings fromSystemProperties(String target) {
        return parse(target, System.getProperty(DURATION, ""), System.getProperty(FuzzHook.SEED_PROPERTY, ""),
                System.getProperty(SHARD, ""), System.getProperty(TargetFuzz.TRIES_PROPERTY, ""),
                System.getProperty(ROUND_TRIES, ""));
    }

    static CampaignSettings parse(String target, String duration, String seed, String shard, String tries,
            String roundTries) {
        Optional<Duration> d = duration(duration);
        Shard s = Shard.parse(shard);
        if (d.isEmpty() && !s.equals(Shard.WHOLE)) {
            throw new IllegalArgumentException("-D" + SHARD + "=" + shard.strip() + " splits a campaign; give -D"
                    + DURATION + " too (an ISO-8601 duration such as PT8H)");
        }
        return new CampaignSettings(target, d, seed(seed), s,
                count(TargetFuzz.TRIES_PROPERTY, tries, TargetFuzz.DEFAULT_TRIES),
                count(ROUND_TRIES, roundTries, DEFAULT_ROUND_TRIES));
    }

    static Optional<Duration> duration(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.parse(text.strip());
            if (!d.isNegative() && !d.isZero()) {
                return Optional.of(d);
            }
        } catch (DateTimeParseException e) {
            // falls through to the one-line message below
        }
        throw new IllegalArgumentException("bad -D" + DURATION + " '" + text
                + "'; accepted: a positive ISO-8601 duration such as PT8H, PT30M or PT30S");
    }

    /** The given seed, else a fresh one (printed in the summary and in every reproduce line). */
    static long seed(String text) {
        if (text == null || text.isBlank()) {
            return new Random().nextLong();
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad -D" + FuzzHook.SEED_PROPERTY + " '" + text
                    + "'; accepted: a 64-bit decimal integer such as 42 or -7, or nothing for a fresh seed");
        }
    }

    private static int count(String property, String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the one-line message below
        }
        throw new IllegalArgumentException("bad -D" + property + " '" + text + "'; accepted: a positive integer");
    }
}

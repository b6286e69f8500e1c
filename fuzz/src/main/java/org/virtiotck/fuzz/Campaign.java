package org.virtiotck.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.virtiotck.harness.junit.Reproducer;
import org.virtiotck.harness.target.KnownDeviations;

/**
 * A fuzz run of rounds on the variants of one target: the CI-bounded run (one round per variant) or a campaign
 * that runs rounds on the variants in turn until its duration is spent, each round with a seed of its own
 * ({@link RoundSeeds}). A failing round does not stop it; its findings are counted and deduplicated by
 * {@link FindingSignature}, keeping the regression file of the first round that found each, and the whole run
 * ends in a {@link CampaignSummary}. A distinct finding that the back-end's known-deviation list explains
 * ({@code -Dknown-deviations}, a {@code fuzz} entry matching its signature) is reported as known and does not
 * make the run fail.
 */
public final class Campaign {
    static final Duration ROUND_TIME = Duration.ofSeconds(10);
    static final int MIN_ROUND_TRIES = 20;
    private final CampaignSettings settings;
    private final long startNanos = System.nanoTime();
    private final long casesAtStart = FuzzStats.cases();
    private final Map<String, Long> oraclesAtStart = FuzzStats.findingsByOracle();
    private final Map<FindingSignature, CampaignSummary.Distinct> distinct = new LinkedHashMap<>();
    private final Map<FindingSignature, CampaignSummary.Distinct> known = new LinkedHashMap<>();
    /** What the known-deviation list said of each failed round, kept because a known round's file is deleted. */
    private final Map<VariantFuzz.Round, Optional<KnownDeviations.Entry>> explanations = new HashMap<>();
    private final KnownDeviations deviations =
            KnownDeviations.load(System.getProperty(KnownDeviations.PARAMETER, ""));
    private int rounds;
    private int failedRounds;

    public Campaign(CampaignSettings settings) {
        this.settings = settings;
    }

    public CampaignSettings settings() {
        return settings;
    }

    /** Runs rounds on {@code variants} in turn until the duration is spent; the last round may run over it. */
    public void runFor(List<String> variants, Duration duration) {
        if (variants.isEmpty()) {
            return;
        }
        long end = startNanos + duration.toNanos();
        try (ProgressLine progress = new ProgressLine(ProgressLine.EVERY, System.out, this::progress)) {
            for (long r = 0; System.nanoTime() - end < 0; r++) {
                String variant = variants.get((int) (r % variants.size()));
                round(variant, Long.toString(RoundSeeds.of(settings.seed(), r, settings.shard())),
                        roundTries(Duration.ofNanos(end - System.nanoTime())));
            }
        }
    }

    /**
     * Cases for the next round: as many as the rate so far runs in {@link #ROUND_TIME} or in the time left if
     * that is shorter, between {@link #MIN_ROUND_TRIES} and {@code -Dfuzz.round-tries}, so that the campaign ends
     * close to its duration on fast and slow targets alike. The round's reproduce line names its tries.
     */
    int roundTries(Duration left) {
        double seconds = elapsed().toNanos() / 1e9;
        double rate = seconds > 0 ? cases() / seconds : 0;
        long wanted = rounds == 0 ? MIN_ROUND_TRIES
                : (long) (rate * Math.min(left.toNanos() / 1e9, ROUND_TIME.toSeconds()));
        return (int) Math.max(MIN_ROUND_TRIES, Math.min(wanted, settings.roundTries()));
    }

    /** Runs one round of {@code tries} cases from {@code seed} on {@code variant} and records how it ended. */
    public VariantFuzz.Round round(String variant, String seed, int tries) {
        VariantFuzz.Round round = VariantFuzz.run(variant, seed, tries);
        record(round);
        return round;
    }

    private synchronized void record(VariantFuzz.Round round) {
        rounds++;
        if (round.failure().isEmpty()) {
            return;
        }
        failedRounds++;
        String first = firstFinding(round);
        FindingSignature signature = known(signature(round, first));
        Optional<KnownDeviations.Entry> entry = explain(round, first);
        explanations.put(round, entry);
        boolean explained = entry.isPresent();
        Map<FindingSignature, CampaignSummary.Distinct> bucket = explained ? known : distinct;
        CampaignSummary.Distinct seen = bucket.get(signature);
        if (explained) {
            // The list documents it; a saved case would only fail the next run's replay of this variant.
            round.saved().ifPresent(Campaign::delete);
        } else if (seen != null && seen.regression() != null) {
            // One regression file per distinct finding: a night on a buggy device would otherwise leave thousands.
            round.saved().filter(p -> !p.toString().equals(seen.regression())).ifPresent(Campaign::delete);
        }
        bucket.put(signature, seen != null
                ? new CampaignSummary.Distinct(seen.oracle(), seen.signature(), seen.finding(), seen.rounds() + 1,
                        seen.regression(), seen.reproduce())
                : new CampaignSummary.Distinct(signature.oracle(), signature.toString(), first, 1,
                        explained ? null : round.saved().map(Path::toString).orElse(null), reproduce(round)));
    }

    /** The known-deviation entry that explained a recorded round's finding, if the list had one. */
    public synchronized Optional<KnownDeviations.Entry> explained(VariantFuzz.Round round) {
        return explanations.getOrDefault(round, Optional.empty());
    }

    private Optional<KnownDeviations.Entry> explain(VariantFuzz.Round round, String first) {
        return deviations.findFuzz(signature(round, first).toString(), FuzzHook.variant(round.variant()));
    }

    /**
     * A round that saved no shrunk case gives no request shape: its finding joins the same oracle and text
     * already seen with one, rather than counting as a second distinct finding.
     */
    private FindingSignature known(FindingSignature s) {
        if (!s.shape().isEmpty()) {
            return s;
        }
        return Stream.concat(distinct.keySet().stream(), known.keySet().stream())
                .filter(k -> k.oracle().equals(s.oracle()) && k.normalized().equals(s.normalized()))
                .findFirst().orElse(s);
    }

    private static FindingSignature signature(VariantFuzz.Round round, String first) {
        return round.saved().map(p -> FindingSignature.of(first, FuzzRegression.read(p).fuzzCase()))
                .orElseGet(() -> FindingSignature.of(first));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first finding of the shrunk case as saved, else the first line the failure names. */
    private static String firstFinding(VariantFuzz.Round round) {
        List<String> saved = round.saved().map(p -> FuzzRegression.read(p).findings()).orElse(List.of());
        if (!saved.isEmpty()) {
            return saved.get(0);
        }
        Throwable t = round.failure().orElseThrow();
        List<String> lines = String.valueOf(t.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        // FuzzProperty.check's message: a count line, then one finding per line.
        if (lines.size() > 1 && lines.get(0).endsWith("finding(s):")) {
            return lines.get(1);
        }
        return t.getClass().getSimpleName() + ": " + (lines.isEmpty() ? "" : lines.get(0));
    }

    public static String reproduce(VariantFuzz.Round round) {
        String jar = System.getProperty(Reproducer.JAR_PROPERTY, "");
        if (!jar.isBlank()) {
            // Run from the command-line jar: the same jar, the fuzz run alone.
            return "java -jar " + jar + " --target '" + round.variant() + "' --only fuzz --seed " + round.seed()
                    + " --fuzz-tries " + round.tries();
        }
        return "mvn verify -pl fuzz -Dtarget='" + round.variant() + "' -D" + FuzzHook.SEED_PROPERTY + "="
                + round.seed() + " -D" + TargetFuzz.TRIES_PROPERTY + "=" + round.tries();
    }

    public synchronized int distinctFindings() {
        return distinct.size();
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private long cases() {
        return FuzzStats.cases() - casesAtStart;
    }

    /** Cases with a finding per oracle since the run started. */
    private Map<String, Long> findingsByOracle() {
        Map<String, Long> out = new TreeMap<>();
        FuzzStats.findingsByOracle().forEach((oracle, n) -> {
            long since = n - oraclesAtStart.getOrDefault(oracle, 0L);
            if (since > 0) {
                out.put(oracle, since);
            }
        });
        return out;
    }

    String progress() {
        return ProgressLine.format(elapsed(), cases(), findingsByOracle(), distinctFindings());
    }

    public synchronized CampaignSummary summary() {
        double seconds = elapsed().toNanos() / 1e9;
        return new CampaignSummary(settings.target(), Long.toString(settings.seed()), settings.shard().toString(),
                settings.duration().map(Duration::toString).orElse(null), seconds, cases(),
                seconds > 0 ? cases() / seconds : 0, rounds, failedRounds, findingsByOracle(),
                new ArrayList<>(distinct.values()), new ArrayList<>(known.values()));
    }

    /** Null when nothing was found; else every distinct finding with its regression and reproduce line. */
    public synchronized String failureReport() {
        if (distinct.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(distinct.size() + " distinct finding(s) in " + failedRounds + " of "
                + rounds + " rounds on " + settings.target() + ":");
        for (CampaignSummary.Distinct d : distinct.values()) {
            sb.append("\n  ").append(d.signature()).append(" (").append(d.rounds()).append(" round(s))")
                    .append("\n    e.g. ").append(d.finding())
                    .append("\n    regression: ").append(d.regression())
                    .append("\n    reproduce: ").append(d.reproduce());
        }
        return sb.toString();
    }
}

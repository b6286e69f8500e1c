package org.virtiotck.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * The fuzz run of {@code mvn verify -Dtarget=...}: for every variant of the target whose device type the fuzzer
 * knows, first the saved regressions of that variant; then either one round of {@code -Dfuzz.tries} generated
 * cases per variant from {@code -Dfuzz.seed} (else a fresh seed that the failure prints with its reproduce line),
 * or with {@code -Dfuzz.duration} a {@link Campaign} of rounds until the duration is spent. Both write
 * {@link CampaignSummary} at the end; the campaign fails then if it found anything.
 */
public class TargetFuzz {
    static final String TRIES_PROPERTY = "fuzz.tries";
    static final int DEFAULT_TRIES = 50;
    /** Rounds after one that stopped at a known deviation. */
    static final int KNOWN_RETRIES = 4;

    @TestFactory
    Stream<DynamicTest> generatedCasesRunClean() {
        String target = System.getProperty("virtio.target", "");
        CampaignSettings settings = CampaignSettings.fromSystemProperties(target.isBlank() ? TargetSpec.DEFAULT : target);
        List<String> variants = fuzzable(settings.target()).stream().map(TargetVariant::canonical).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (String canonical : variants) {
            for (Path saved : savedFor(canonical)) {
                tests.add(DynamicTest.dynamicTest("replay " + saved.getFileName() + " on " + canonical,
                        () -> FuzzProperty.check(FuzzRegression.read(saved).replay())));
            }
        }
        if (settings.duration().isPresent()) {
            Duration d = settings.duration().get();
            tests.add(DynamicTest.dynamicTest("campaign " + d + " on " + settings.target() + " shard " + settings.shard(),
                    () -> {
                        List<String> offered = variants.stream().filter(TargetFuzz::offered).toList();
                        Assumptions.assumeFalse(offered.isEmpty(), "no variant of " + settings.target()
                                + " is offered by its device");
                        // Its clock starts now, after the replays.
                        Campaign campaign = new Campaign(settings);
                        campaign.runFor(offered, d);
                        writeSummary(campaign);
                        String report = campaign.failureReport();
                        if (report != null) {
                            throw new AssertionError(report);
                        }
                    }));
            return tests.stream();
        }
        Campaign campaign = new Campaign(settings);
        String s = Long.toString(settings.seed());
        for (String canonical : variants) {
            tests.add(DynamicTest.dynamicTest(settings.tries() + " cases on " + canonical, () -> {
                Assumptions.assumeTrue(offered(canonical), () -> "the device does not offer what " + canonical
                        + " requires (" + missing(canonical) + ")");
                VariantFuzz.Round round = campaign.round(canonical, s, settings.tries());
                // A round stops at its first failure; one the known-deviation list explains hides the rest of its
                // cases, so further rounds (seeds of their own) look for anything else.
                Optional<KnownDeviations.Entry> known = campaign.explained(round);
                for (int r = 1; known.isPresent() && r <= KNOWN_RETRIES; r++) {
                    round = campaign.round(canonical, Long.toString(RoundSeeds.of(Long.parseLong(s), r,
                            settings.shard())), settings.tries());
                    known = round.failure().isEmpty() ? Optional.empty() : campaign.explained(round);
                    if (known.isEmpty() && round.failure().isEmpty()) {
                        Assumptions.abort("KNOWN deviation found and explained; a later round of "
                                + settings.tries() + " cases ran clean");
                    }
                }
                if (known.isPresent()) {
                    Assumptions.abort("KNOWN " + known.get().clause() + ": " + known.get().evidence() + "\nthis run: "
                            + round.failure().get().getMessage() + "\nreproduce: " + Campaign.reproduce(round));
                }
                if (round.failure().isPresent()) {
                    throw new AssertionError(round.failure().get().getMessage() + "\nreproduce: "
                            + Campaign.reproduce(round), round.failure().get());
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("summary", () -> writeSummary(campaign)));
        return tests.stream();
    }

    private static void writeSummary(Campaign campaign) {
        CampaignSummary summary = campaign.summary();
        Path file = summary.write(CampaignSummary.file());
        System.out.println(summary.text() + "\nfuzz summary json: " + file.toAbsolutePath());
    }

    /** Whether the device offers what the variant requires (a packed ring, say): a probe would SKIP otherwise. */
    private static boolean offered(String canonical) {
        return missing(canonical).isEmpty();
    }

    private static String missing(String canonical) {
        TargetVariant v = FuzzHook.variant(canonical);
        try (FuzzRunner runner = new FuzzRunner(v)) {
            FeatureSet missing = runner.missingFeatures();
            return missing.isEmpty() ? "" : missing.describe(v.type());
        }
    }

    /** The variants whose device type the fuzzer has requests for. */
    static List<TargetVariant> fuzzable(String target) {
        return TargetSpec.parse(target).variants().stream()
                .filter(v -> DeviceFuzzes.of(Sessions.deviceType(v)).isPresent()).toList();
    }

    /** The regressions saved for exactly this variant. */
    private static List<Path> savedFor(String canonical) {
        Path dir = FuzzHook.directory();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .filter(f -> FuzzRegression.read(f).target().equals(canonical)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

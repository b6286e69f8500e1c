package org.virtiotck.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * The fuzz run of {@code mvn verify -Dtarget=...}: for every variant of the target whose device type the fuzzer
 * knows, first the saved regressions of that variant, then {@code -Dfuzz.tries} generated cases (from
 * {@code -Dfuzz.seed}, else a fresh seed that the failure prints with its reproduce line).
 */
public class TargetFuzz {
    static final String TRIES_PROPERTY = "fuzz.tries";
    static final int DEFAULT_TRIES = 50;

    @TestFactory
    Stream<DynamicTest> generatedCasesRunClean() {
        String target = System.getProperty("virtio.target", "");
        int tries = Integer.getInteger(TRIES_PROPERTY, DEFAULT_TRIES);
        String seed = System.getProperty(FuzzHook.SEED_PROPERTY, "");
        List<DynamicTest> tests = new ArrayList<>();
        for (TargetVariant v : fuzzable(target.isBlank() ? TargetSpec.DEFAULT : target)) {
            String canonical = v.canonical();
            for (Path saved : savedFor(canonical)) {
                tests.add(DynamicTest.dynamicTest("replay " + saved.getFileName() + " on " + canonical,
                        () -> FuzzProperty.check(FuzzRegression.read(saved).replay())));
            }
            String s = seed.isBlank() ? Long.toString(new Random().nextLong()) : seed;
            tests.add(DynamicTest.dynamicTest(tries + " cases on " + canonical, () -> {
                assumeOffered(v);
                VariantFuzz.Round round = VariantFuzz.run(canonical, s, tries);
                if (round.failure().isPresent()) {
                    throw new AssertionError(round.failure().get().getMessage() + "\nreproduce: mvn verify -pl fuzz"
                            + " -Dtarget='" + canonical + "' -Dfuzz.seed=" + s + " -D" + TRIES_PROPERTY + "=" + tries,
                            round.failure().get());
                }
            }));
        }
        return tests.stream();
    }

    /** Ends the test in SKIP when the device lacks what the variant requires, as a probe would. */
    private static void assumeOffered(TargetVariant v) {
        try (FuzzRunner runner = new FuzzRunner(v)) {
            FeatureSet missing = runner.missingFeatures();
            Assumptions.assumeTrue(missing.isEmpty(), () -> "the device does not offer " + missing.describe(v.type())
                    + ", which " + v.canonical() + " requires");
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

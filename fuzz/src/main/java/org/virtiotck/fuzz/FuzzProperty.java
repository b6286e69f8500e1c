package org.virtiotck.fuzz;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The fuzz property: generated cases for the device type of the variant {@code -Dfuzz.variant} names must run
 * clean. {@link VariantFuzz} runs it once per variant; tries come from {@code jqwik.tries.default}. A failing
 * case on a target other than a reference device is also run on the reference device (the differential oracle),
 * and the failure says whether that one runs it clean.
 */
@AddLifecycleHook(FuzzHook.class)
public class FuzzProperty {

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(FuzzHook.runner().deviceFuzz());
    }

    // A campaign's rounds each bring their seed; replaying a sample jqwik remembers would repeat the last round.
    @Property(afterFailure = AfterFailureMode.RANDOM_SEED)
    void casesRunClean(@ForAll("cases") FuzzCase fuzzCase) {
        FuzzRunner runner = FuzzHook.runner();
        List<FuzzFinding> findings = runner.run(fuzzCase);
        if (!findings.isEmpty()) {
            fail(findings, runner.onReference(fuzzCase));
        }
    }

    /** Fails with every finding, one per line. */
    public static void check(List<FuzzFinding> findings) {
        if (!findings.isEmpty()) {
            fail(findings, Optional.empty());
        }
    }

    /** Fails with every finding, and what the reference device made of the same case where there is one. */
    static void fail(List<FuzzFinding> findings, Optional<List<FuzzFinding>> reference) {
        String onReference = reference.map(r -> r.isEmpty()
                ? "\nthe in-process reference device runs the same case clean"
                : "\nthe in-process reference device fails the same case too, so suspect the fuzzer's oracle first:\n  "
                        + lines(r)).orElse("");
        throw new AssertionError(findings.size() + " finding(s):\n  " + lines(findings) + onReference);
    }

    private static String lines(List<FuzzFinding> findings) {
        return findings.stream().map(FuzzFinding::toString).collect(Collectors.joining("\n  "));
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.feature.Feature;

/**
 * The fuzzer finds a planted fault within a bounded number of tries, shrinks the case to the smallest that shows
 * it, and saves that case and the seed where the replay test finds it.
 */
class FuzzerPowerTest {
    static final String SEED = "20261126";
    static final int TRIES = 200;
    static final String REFERENCE = "inproc:blk?transport=mmio&ring=split";

    /** Runs one round on {@code target} with the regressions going to {@code dir}; the one file saved, read back. */
    static FuzzRegression findAndShrink(String target, Path dir) throws IOException {
        String before = System.getProperty(FuzzHook.DIRECTORY_PROPERTY);
        System.setProperty(FuzzHook.DIRECTORY_PROPERTY, dir.toString());
        VariantFuzz.Round round;
        try {
            round = VariantFuzz.run(target, SEED, TRIES);
        } finally {
            if (before == null) {
                System.clearProperty(FuzzHook.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FuzzHook.DIRECTORY_PROPERTY, before);
            }
        }
        assertTrue(round.failure().isPresent(), "the fuzzer found nothing on " + target + " in " + TRIES + " tries");
        assertTrue(round.failure().get().getMessage().contains("the in-process reference device runs the same case clean"),
                "the differential oracle ran: " + round.failure().get().getMessage());
        List<Path> saved;
        try (Stream<Path> files = Files.list(dir)) {
            saved = files.toList();
        }
        assertEquals(1, saved.size(), "one regression file: " + saved + " after " + round.failure().get());
        assertTrue(saved.get(0).getFileName().toString().equals("casesRunClean-" + SEED + ".json"), saved.toString());
        FuzzRegression regression = FuzzRegression.read(saved.get(0));
        assertEquals(SEED, regression.seed());
        assertFalse(regression.findings().isEmpty());
        assertFalse(regression.replay().isEmpty(), "the saved case still finds the fault");
        System.err.println("fuzz power test on " + target + ": shrunk to " + regression.fuzzCase() + "\n  finding(s): "
                + regression.findings());
        return regression;
    }

    /**
     * The shrunk case is minimal: without any one batch, step, request, cut or mutation it runs clean on
     * {@code target} (so no descriptor of it can go), and the reference device runs the case itself clean.
     */
    static void assertMinimal(String target, FuzzCase shrunk) {
        for (FuzzCase smaller : CaseReductions.of(shrunk)) {
            assertEquals(List.of(), FuzzRegression.replay(target, smaller),
                    "a part of the shrunk case can go and it still fails: " + smaller + "\nshrunk: " + shrunk);
        }
        assertEquals(List.of(), FuzzRegression.replay(REFERENCE, shrunk), "the reference device runs " + shrunk + " clean");
    }

    /** Every request of the case, those of its mutations included. */
    static List<FuzzRequest> allRequests(FuzzCase c) {
        List<FuzzRequest> out = new ArrayList<>();
        for (Batch b : c.batches()) {
            b.steps().forEach(s -> out.addAll(s.requests()));
            if (b.mutation() != null) {
                out.add(b.mutation().request());
            }
        }
        return out;
    }

    static List<Mutation> mutations(FuzzCase c) {
        return c.batches().stream().map(Batch::mutation).filter(Objects::nonNull).toList();
    }

    @Test
    void findsWritePastThirdDescriptorAndShrinksToOneThreeDescriptorRequest(@TempDir Path dir) throws IOException {
        FuzzRegression regression = findAndShrink(PastThirdDescriptorBlk.TARGET, dir);
        List<FuzzRequest> requests = allRequests(regression.fuzzCase());
        assertEquals(1, requests.size(), regression.fuzzCase().toString());
        assertEquals(3, requests.get(0).descriptors(), regression.fuzzCase().toString());
        assertMinimal(PastThirdDescriptorBlk.TARGET, regression.fuzzCase());
    }

    /**
     * A device that takes an indirect descriptor for a plain buffer is caught either by a well-formed indirect
     * request (its table is no request: liveness), also the one that checks liveness after a mutation, or by a
     * mutation that sets INDIRECT on a buffer (it writes there). Either way the one request has the descriptor.
     */
    @Test
    void findsIgnoredIndirectAndShrinksToOneIndirectDescriptor(@TempDir Path dir) throws IOException {
        FuzzCase shrunk = findAndShrink(IgnoresIndirectBlk.TARGET, dir).fuzzCase();
        assertEquals(1, allRequests(shrunk).size(), shrunk.toString());
        boolean table = shrunk.ringFeatures().contains(Feature.INDIRECT_DESC)
                && ((BlkFuzzRequest) allRequests(shrunk).get(0)).indirect();
        boolean flipped = mutations(shrunk).stream().anyMatch(m -> m.kind() == MutationKind.FLIP_INDIRECT);
        assertTrue(table || flipped, "the shrunk case has an indirect descriptor: " + shrunk);
        assertMinimal(IgnoresIndirectBlk.TARGET, shrunk);
    }

    @Test
    void findsUsedLenCountingReadableBytesAndShrinksToOneRequest(@TempDir Path dir) throws IOException {
        FuzzRegression regression = findAndShrink(UsedLenWithReadableBlk.TARGET, dir);
        FuzzCase shrunk = regression.fuzzCase();
        assertEquals(1, allRequests(shrunk).size(), shrunk.toString());
        assertTrue(regression.findings().stream().anyMatch(f -> f.contains("used len")), regression.findings().toString());
        assertMinimal(UsedLenWithReadableBlk.TARGET, shrunk);
    }

    /** Only a mutation makes a loop, and the device stuck on it is a liveness finding, not a hung test. */
    @Test
    void findsADeviceStuckOnADescriptorLoopAndShrinksToOneMutation(@TempDir Path dir) throws IOException {
        FuzzRegression regression = findAndShrink(FollowsLoopsBlk.TARGET, dir);
        FuzzCase shrunk = regression.fuzzCase();
        assertEquals(1, shrunk.batches().size(), shrunk.toString());
        assertEquals(List.of(), shrunk.batches().get(0).steps(), shrunk.toString());
        assertEquals(1, mutations(shrunk).size(), shrunk.toString());
        assertTrue(regression.findings().stream().anyMatch(f -> f.contains("[liveness]")), regression.findings().toString());
        assertMinimal(FollowsLoopsBlk.TARGET, shrunk);
    }

    /** Requests complete, but no notification ever comes: the notification oracle, on the first request alone. */
    @Test
    void findsADeviceThatNeverNotifiesAndShrinksToOneRequest(@TempDir Path dir) throws IOException {
        FuzzRegression regression = findAndShrink(SilentBlk.TARGET + "&timeout=200ms", dir);
        FuzzCase shrunk = regression.fuzzCase();
        assertEquals(1, allRequests(shrunk).size(), shrunk.toString());
        assertEquals(List.of(), mutations(shrunk), shrunk.toString());
        assertTrue(regression.findings().stream().anyMatch(f -> f.contains("[notification]")), regression.findings().toString());
        assertMinimal(SilentBlk.TARGET + "&timeout=200ms", shrunk);
    }
}

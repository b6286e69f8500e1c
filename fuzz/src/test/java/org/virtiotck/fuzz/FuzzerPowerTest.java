package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer finds a planted fault within a bounded number of tries, shrinks the case to the smallest that shows
 * it, and saves that case and the seed where the replay test finds it.
 */
class FuzzerPowerTest {
    static final String SEED = "20261126";
    static final int TRIES = 200;

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
        return regression;
    }

    @Test
    void findsWritePastThirdDescriptorAndShrinksToOneThreeDescriptorRequest(@TempDir Path dir) throws IOException {
        FuzzRegression regression = findAndShrink(PastThirdDescriptorBlk.TARGET, dir);
        List<FuzzRequest> requests = regression.fuzzCase().requests();
        assertEquals(1, requests.size(), regression.fuzzCase().toString());
        assertEquals(3, requests.get(0).descriptors(), regression.fuzzCase().toString());
        assertEquals(List.of(), FuzzRegression.replay("inproc:blk?transport=mmio&ring=split", regression.fuzzCase()),
                "the reference device runs the same case clean");
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.feature.Feature;

/**
 * Every saved fuzzing failure of an in-process target in {@code fuzz/regressions/} must now run clean (those of
 * other targets replay in the fuzz run against that target); and saving round-trips.
 */
class RegressionReplayTest {

    @TestFactory
    Stream<DynamicTest> everySavedInprocRegressionRunsClean() throws IOException {
        Path dir = Path.of("regressions");
        assertTrue(Files.isDirectory(dir) && Files.isReadable(dir), dir.toAbsolutePath() + " is a readable directory");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        return files.stream().filter(f -> FuzzRegression.read(f).target().startsWith("inproc:"))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                        () -> assertEquals(List.of(), FuzzRegression.read(f).replay(), f.toString())));
    }

    @Test
    void aSavedCaseReadsBackEqualAndReplaysCleanOnTheReferenceDevice(@TempDir Path dir) {
        Step inFlight = new Step(List.of(
                new BlkFuzzRequest(BlkRequestType.OUT, 5, 3, List.of(7, 512, 1000), true),
                new BlkFuzzRequest(BlkRequestType.IN, 4, 4, List.of(100), false)));
        Step alone = new Step(List.of(new BlkFuzzRequest(BlkRequestType.FLUSH, 0, 1, List.of(), false)));
        Batch second = new Batch(List.of(new Step(List.of(new BlkFuzzRequest(BlkRequestType.GET_ID, 0, 1, List.of(3, 11), true)))));
        Mutation loop = new Mutation(new BlkFuzzRequest(BlkRequestType.OUT, 9, 2, List.of(600), false),
                MutationKind.NEXT_CYCLE, 2, 5);
        Batch mutationAlone = new Batch(List.of(), new Mutation(new BlkFuzzRequest(BlkRequestType.IN, 1, 1, List.of(), true),
                MutationKind.TABLE_LEN_PLUS_HALF, 0, 0));
        FuzzCase fuzzCase = new FuzzCase(List.of(Feature.INDIRECT_DESC, Feature.IN_ORDER),
                List.of(new Batch(List.of(inFlight, alone), loop), second, mutationAlone));
        FuzzRegression saved = new FuzzRegression("inproc:blk?transport=mmio&ring=packed", "42", fuzzCase, List.of());
        FuzzRegression read = FuzzRegression.read(saved.write(dir, "round-trip"));
        assertEquals(saved, read);
        assertEquals(List.of(), read.replay());
    }
}

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

/** Every saved fuzzing failure in {@code fuzz/regressions/} must now run clean; and saving round-trips. */
class RegressionReplayTest {

    @TestFactory
    Stream<DynamicTest> everySavedRegressionRunsClean() throws IOException {
        Path dir = Path.of("regressions");
        assertTrue(Files.isDirectory(dir) && Files.isReadable(dir), dir.toAbsolutePath() + " is a readable directory");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> assertEquals(List.of(), FuzzRegression.read(f).replay(), f.toString())));
    }

    @Test
    void aSavedPlanReadsBackEqualAndReplaysCleanOnTheReferenceDevice(@TempDir Path dir) {
        BlkPlan plan = new BlkPlan(List.of(
                new BlkPlanRequest(BlkRequestType.OUT, 5, 3, List.of(7, 512, 1000), true),
                new BlkPlanRequest(BlkRequestType.IN, 4, 4, List.of(100), false),
                new BlkPlanRequest(BlkRequestType.FLUSH, 0, 1, List.of(), false),
                new BlkPlanRequest(BlkRequestType.GET_ID, 0, 1, List.of(3, 11), true)));
        FuzzRegression saved = new FuzzRegression(BlkFuzzProperties.PACKED, "42", plan, List.of());
        FuzzRegression read = FuzzRegression.read(saved.write(dir, "round-trip"));
        assertEquals(saved, read);
        assertEquals(List.of(), read.replay());
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a net target without a wire that loops frames back (as testpmd does), receive buffers are posted without
 * being awaited and what comes back is judged: the reference device behind the loop runs clean, and a device that
 * corrupts long received frames is found through the loop and shrunk to a receive buffer and one frame.
 */
class LoopbackNetTest {

    private static FuzzCase oneStep(FuzzRequest... requests) {
        return new FuzzCase(List.of(), List.of(new Batch(List.of(new Step(List.of(requests))))));
    }

    @Test
    void aLoopedFrameIsJudgedAndACorruptedOneIsFound() {
        FuzzCase fuzzCase = oneStep(new NetFuzzRequest(Direction.RECEIVE, 60, List.of(), false),
                new NetFuzzRequest(Direction.TRANSMIT, 101, List.of(), false));
        assertEquals(List.of(), FuzzRegression.replay(LoopbackNet.TARGET, fuzzCase));
        List<FuzzFinding> found = FuzzRegression.replay(LoopbackNet.CorruptingLongFrames.TARGET, fuzzCase);
        assertTrue(found.stream().anyMatch(f -> f.oracle().equals("loopback")), found.toString());
    }

    @Test
    void receiveBuffersNothingFillsNeitherHangNorFail() {
        FuzzCase fuzzCase = new FuzzCase(List.of(), List.of(new Batch(List.of(
                new Step(List.of(new NetFuzzRequest(Direction.RECEIVE, 60, List.of(5, 9, 700), false))),
                new Step(List.of(new NetFuzzRequest(Direction.RECEIVE, 60, List.of(), true)))))));
        long start = System.nanoTime();
        assertEquals(List.of(), FuzzRegression.replay(LoopbackNet.TARGET, fuzzCase));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "posted buffers are not awaited");
    }

    @Test
    void generatedCasesRunCleanOnTheLoop() {
        VariantFuzz.Round round = VariantFuzz.run(LoopbackNet.TARGET, FuzzerPowerTest.SEED, FuzzerPowerTest.TRIES);
        assertEquals(java.util.Optional.empty(), round.failure());
    }

    @Test
    void findsLongFramesCorruptedThroughTheLoop(@TempDir Path dir) throws IOException {
        FuzzRegression regression = FuzzerPowerTest.findAndShrink(LoopbackNet.CorruptingLongFrames.TARGET, dir);
        List<FuzzRequest> requests = regression.fuzzCase().requests();
        assertEquals(2, requests.size(), regression.fuzzCase().toString());
        assertTrue(requests.contains(new NetFuzzRequest(Direction.RECEIVE, NetFuzzRequest.MIN_FRAME, List.of(), false))
                && requests.contains(new NetFuzzRequest(Direction.TRANSMIT, CorruptsLongFramesNet.LONGEST_INTACT + 1,
                        List.of(), false)), regression.fuzzCase().toString());
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.feature.Feature;

/**
 * A saved case of net, console and rng requests reads back equal (each request kind round-trips through its JSON
 * name) and runs clean on the reference device, with requests in flight together and across two batches.
 */
class DeviceRequestsRoundTripTest {

    private static void roundTripsAndRunsClean(String target, Path dir, List<FuzzRequest> first, List<FuzzRequest> second) {
        FuzzCase fuzzCase = new FuzzCase(List.of(Feature.INDIRECT_DESC, Feature.EVENT_IDX),
                List.of(new Batch(List.of(new Step(first), new Step(second))), new Batch(List.of(new Step(second)))));
        FuzzRegression saved = new FuzzRegression(target, "7", fuzzCase, List.of());
        FuzzRegression read = FuzzRegression.read(saved.write(dir, "round-trip"));
        assertEquals(saved, read);
        assertEquals(List.of(), read.replay());
    }

    @Test
    void netRequests(@TempDir Path dir) {
        roundTripsAndRunsClean("inproc:net?transport=pci&ring=packed", dir,
                List.of(new NetFuzzRequest(Direction.TRANSMIT, 60, List.of(), false),
                        new NetFuzzRequest(Direction.RECEIVE, 1514, List.of(12, 700), true),
                        new NetFuzzRequest(Direction.TRANSMIT, 1514, List.of(5, 12, 13), true)),
                List.of(new NetFuzzRequest(Direction.RECEIVE, 61, List.of(), false),
                        new NetFuzzRequest(Direction.RECEIVE, 300, List.of(1), false)));
    }

    @Test
    void consoleRequests(@TempDir Path dir) {
        roundTripsAndRunsClean("inproc:console?transport=mmio&ring=split", dir,
                List.of(new ConsoleFuzzRequest(Direction.TRANSMIT, 5, List.of(1, 4), true),
                        new ConsoleFuzzRequest(Direction.RECEIVE, 7, List.of(3), false),
                        new ConsoleFuzzRequest(Direction.RECEIVE, 1, List.of(), true)),
                List.of(new ConsoleFuzzRequest(Direction.TRANSMIT, 512, List.of(), false)));
    }

    @Test
    void rngRequests(@TempDir Path dir) {
        roundTripsAndRunsClean("inproc:rng?transport=pci&ring=split", dir,
                List.of(new RngFuzzRequest(1, List.of(), false), new RngFuzzRequest(64, List.of(8, 9, 63), true)),
                List.of(new RngFuzzRequest(512, List.of(256), false)));
    }
}

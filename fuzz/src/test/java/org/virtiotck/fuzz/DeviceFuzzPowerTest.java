package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The net, console and rng requests and oracles find a planted fault of each device type, and the case shrinks to
 * the one smallest request that shows it; the reference device runs that case clean.
 */
class DeviceFuzzPowerTest {

    @Test
    void findsAnRngClaimingAByteMoreAndShrinksToAOneByteRequest(@TempDir Path dir) throws IOException {
        FuzzRegression regression = FuzzerPowerTest.findAndShrink(UsedLenPlusOneRng.TARGET, dir);
        assertEquals(List.of(new RngFuzzRequest(1, List.of(), false)), regression.fuzzCase().requests(),
                regression.fuzzCase().toString());
        assertEquals(List.of(), FuzzRegression.replay("inproc:rng?transport=mmio&ring=split", regression.fuzzCase()),
                "the reference device runs the same case clean");
    }

    @Test
    void findsANetCorruptingLongFramesAndShrinksToOneReceiveJustLongEnough(@TempDir Path dir) throws IOException {
        FuzzRegression regression = FuzzerPowerTest.findAndShrink(CorruptsLongFramesNet.TARGET, dir);
        assertEquals(List.of(new NetFuzzRequest(Direction.RECEIVE, CorruptsLongFramesNet.LONGEST_INTACT + 1,
                List.of(), false)), regression.fuzzCase().requests(), regression.fuzzCase().toString());
        assertEquals(List.of(), FuzzRegression.replay("inproc:net?transport=mmio&ring=split", regression.fuzzCase()),
                "the reference device runs the same case clean");
    }

    @Test
    void findsAConsoleDroppingAByteOfCutChainsAndShrinksToOneTwoPieceTransmit(@TempDir Path dir) throws IOException {
        FuzzRegression regression = FuzzerPowerTest.findAndShrink(DropsByteConsole.TARGET, dir);
        assertEquals(List.of(new ConsoleFuzzRequest(Direction.TRANSMIT, 2, List.of(1), false)),
                regression.fuzzCase().requests(), regression.fuzzCase().toString());
        assertEquals(List.of(), FuzzRegression.replay("inproc:console?transport=mmio&ring=split", regression.fuzzCase()),
                "the reference device runs the same case clean");
    }
}

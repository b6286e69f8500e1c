package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;

/**
 * Probe power of the console and rng probes: each FAILs on its clause against the reference console or rng with
 * one deviation planted (faulty/FaultyConsoleDevices, faulty/FaultyRngDevices), and PASSes against the reference
 * device in the same variant. Arguments: device type, fault, probe, section, ring.
 */
class FaultyConsoleRngDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("console", "reorders-tx", "console.ConsoleTransmitProbes#transmittedBytesReachTheHostInOrder", "5.3.6", "split"),
                Arguments.of("console", "tx-used-len", "console.ConsoleTransmitProbes#transmitUsedLenIsZero", "2.7.8.2", "split"),
                Arguments.of("console", "tx-used-len", "console.ConsoleTransmitProbes#transmitUsedLenIsZero", "2.8.4", "packed"),
                Arguments.of("console", "corrupts-rx", "console.ConsoleReceiveProbes#hostBytesArriveIntactAndInOrder", "5.3.6", "split"),
                Arguments.of("console", "rx-used-len-plus-one", "console.ConsoleReceiveProbes#receiveUsedLenNotAboveWritten", "2.7.8.2", "split"),
                Arguments.of("console", "rx-used-len-plus-one", "console.ConsoleReceiveProbes#receiveUsedLenNotAboveWritten", "2.8.4", "packed"),
                Arguments.of("console", "stale-size", "console.ConsoleConfigProbes#sizeFieldsFollowTheConsole", "5.3.4", "split"),
                Arguments.of("console", "silent-resize", "console.ConsoleConfigProbes#resizeIsAnnounced", "5.3.6", "split"),
                Arguments.of("console", "control-queues", "console.ConsoleConfigProbes#onlyPortZeroQueuesWithoutMultiport", "5.3.2", "split"),
                Arguments.of("console", "emerg-only-configured", "console.EmergencyWriteProbes#emergWriteAcceptedBeforeConfiguration", "5.3.5.1", "split"),
                Arguments.of("console-multiport", "no-port-queues", "console.ConsoleConfigProbes#multiportQueuesExist", "5.3.2", "split"),
                Arguments.of("console-multiport", "adds-port-twice", "console.ConsoleMultiportProbes#deviceAddNamesANewPort", "5.3.6.2.1", "split"),
                Arguments.of("console-multiport", "adds-max-nr-ports", "console.ConsoleMultiportProbes#deviceAddStaysBelowMaxNrPorts", "5.3.6.2.1", "split"),
                Arguments.of("console-multiport", "removes-unadded-port", "console.ConsoleMultiportProbes#deviceRemoveNamesAnAddedPort", "5.3.6.2.1", "packed"),
                Arguments.of("console-multiport", "swaps-port-input", "console.ConsoleMultiportProbes#eachPortsInputOnItsOwnReceiveq", "5.3.6", "split"),
                Arguments.of("console-multiport", "swaps-port-output", "console.ConsoleMultiportProbes#eachPortsTransmitqReachesItsOutput", "5.3.6", "split"),
                Arguments.of("rng", "reports-zero", "rng.RngDataProbes#everyRequestGetsAtLeastOneByte", "5.4.6.2", "split"),
                Arguments.of("rng", "zero-bytes", "rng.RngDataProbes#bytesAreTheSourcesOutput", "5.4.6", "split"),
                Arguments.of("rng", "used-len-plus-one", "rng.RngDataProbes#usedLenNotAboveWritten", "2.7.8.2", "split"),
                Arguments.of("rng", "used-len-plus-one", "rng.RngDataProbes#usedLenNotAboveWritten", "2.8.4", "packed"),
                Arguments.of("rng", "empty-when-starved", "rng.RngSupplyProbes#starvedDeviceReturnsNothingEmpty", "5.4.6.2", "split"),
                Arguments.of("rng", "forgets-waiting", "rng.RngSupplyProbes#waitingRequestIsFilledWhenEntropyArrives", "5.4.6", "split"),
                Arguments.of("rng", "pads-with-zeros", "rng.RngSupplyProbes#shortSupplyFillsOnlyWhatTheSourceGave", "5.4.6", "split"));
    }

    /** SHOULD clauses: FAIL in the matrix, and a failed test under -Dstrict. */
    static Stream<Arguments> shouldFaults() {
        return Stream.of(
                Arguments.of("console", "rx-used-len-short", "console.ConsoleReceiveProbes#receiveUsedLenIsExact", "2.7.8.2", "split"),
                Arguments.of("console", "ignores-emerg", "console.EmergencyWriteProbes#emergWriteReachesTheOutput", "5.3.5.1", "split"),
                Arguments.of("rng", "used-len-short", "rng.RngDataProbes#usedLenIsExact", "2.7.8.2", "split"),
                Arguments.of("rng", "used-len-short", "rng.RngDataProbes#usedLenIsExact", "2.8.4", "packed"));
    }

    private static String target(String device, String ring) {
        return "inproc:" + device + "?transport=mmio&ring=" + ring + "&timeout=300ms";
    }

    private static String failure(String probe, String target, boolean strict) {
        List<Event> failed = ProbeRun.of(probe, target, strict).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    @ParameterizedTest(name = "{2} FAILs on faulty-{0}-{1}, {4} ring")
    @MethodSource("faults")
    void probeFailsOnItsClause(String device, String fault, String probe, String section, String ring) {
        String faulty = "faulty-" + device + "-" + fault;
        String message = failure(probe, target(faulty, ring), false);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:" + faulty), message);
    }

    @ParameterizedTest(name = "{2} PASSes on the reference {0}, {4} ring")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String device, String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, target(device, ring), false).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{2} FAILs under strict on faulty-{0}-{1}, {4} ring")
    @MethodSource("shouldFaults")
    void shouldProbeFailsOnItsClauseUnderStrict(String device, String fault, String probe, String section, String ring) {
        String message = failure(probe, target("faulty-" + device + "-" + fault, ring), true);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
    }

    @ParameterizedTest(name = "{2} PASSes under strict on the reference {0}, {4} ring")
    @MethodSource("shouldFaults")
    void shouldProbePassesOnTheReferenceDevice(String device, String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, target(device, ring), true).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }
}

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
 * Probe power of the net probes: each FAILs on its clause against the reference net device with one deviation
 * planted (faulty/FaultyNetDevices), and PASSes against the reference device in the same variant. Arguments:
 * fault, probe, section, ring.
 */
class FaultyNetDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("tx-keeps-header", "net.NetTransmitProbes#framesGoOutWithoutTheHeader", "5.1.6.2", "split"),
                Arguments.of("tx-keeps-header", "net.NetTransmitProbes#framesGoOutWithoutTheHeader", "5.1.6.2", "packed"),
                Arguments.of("tx-used-len", "net.NetTransmitProbes#transmitUsedLenIsZero", "2.7.8.2", "split"),
                Arguments.of("tx-used-len", "net.NetTransmitProbes#transmitUsedLenIsZero", "2.8.4", "packed"),
                Arguments.of("tx-trusts-csum-fields", "net.NetTransmitProbes#checksumFieldsIgnoredWithoutNeedsCsum", "5.1.6.2.2", "split"),
                Arguments.of("rx-corrupts", "net.NetReceiveProbes#receivedFramesAreIntact", "5.1.6.4", "split"),
                Arguments.of("rx-used-len-plus-one", "net.NetReceiveProbes#receiveUsedLenNotAboveWritten", "2.7.8.2", "split"),
                Arguments.of("rx-used-len-plus-one", "net.NetReceiveProbes#receiveUsedLenNotAboveWritten", "2.8.4", "packed"),
                Arguments.of("rx-num-buffers-two", "net.NetReceiveProbes#numBuffersIsOne", "5.1.6.4.1", "split"),
                Arguments.of("rx-always-merges", "net.NetReceiveProbes#eachPacketInOneBuffer", "5.1.6.3.2", "split"),
                Arguments.of("rx-data-valid", "net.ReceiveHeaderProbes#flagsAreZero", "5.1.6.4.1", "split"),
                Arguments.of("rx-rsc-info", "net.ReceiveHeaderProbes#noRscInfo", "5.1.6.4.1", "split"),
                Arguments.of("rx-gso-tcpv4", "net.ReceiveHeaderProbes#gsoTypeIsNone", "5.1.6.4.1", "split"),
                Arguments.of("rx-gso-tcpv4", "net.ReceiveHeaderProbes#gsoTypeNeverTcpv4", "5.1.6.4.1", "split"),
                Arguments.of("rx-gso-udp", "net.ReceiveHeaderProbes#gsoTypeNeverUdp", "5.1.6.4.1", "split"),
                Arguments.of("rx-gso-tcpv6", "net.ReceiveHeaderProbes#gsoTypeNeverTcpv6", "5.1.6.4.1", "packed"),
                Arguments.of("rx-num-buffers-short", "net.MergeableReceiveProbes#numBuffersCountsTheBuffersHoldingThePacket", "5.1.6.3.2", "split"),
                Arguments.of("rx-num-buffers-short", "net.MergeableReceiveProbes#mergedNumBuffersCountsTheSpan", "5.1.6.4.1", "packed"),
                Arguments.of("rx-underfills", "net.MergeableReceiveProbes#everyBufferButTheLastIsFull", "5.1.6.4.1", "split"),
                Arguments.of("rx-last-buffer-late", "net.MergeableReceiveProbes#buffersOfAPacketAreUsedTogether", "5.1.6.4.1", "split"),
                Arguments.of("mtu-67", "net.NetMtuProbes#mtuWithinRange", "5.1.4.1", "split"),
                Arguments.of("mtu-drifts", "net.NetMtuProbes#mtuNeverChanges", "5.1.4.1", "split"),
                Arguments.of("mtu-understated", "net.NetMtuProbes#framesUpToMtuGoOutWhole", "5.1.4.1", "split"),
                Arguments.of("mtu-overstated", "net.NetMtuProbes#noReceivedFrameAboveMtu", "5.1.4.1", "split"),
                Arguments.of("wrong-mac", "net.NetConfigProbes#macIsTheConfiguredAddress", "5.1.4", "split"),
                Arguments.of("link-always-up", "net.NetConfigProbes#linkUpBitFollowsTheLink", "5.1.4", "split"),
                Arguments.of("silent-link-change", "net.NetConfigProbes#linkChangeIsAnnounced", "5.1.4", "split"),
                Arguments.of("tso-without-csum", "core.FeatureProbes#offersNoFeatureWithoutWhatItRequires", "2.2.2",
                        "split"),
                Arguments.of("tx-drops-unknown-flags", "net.NetTransmitProbes#unknownFlagsIgnored", "5.1.6.2.2", "split"),
                Arguments.of("tx-drops-unknown-flags", "net.NetTransmitProbes#unknownFlagsIgnored", "5.1.6.2.2", "packed"),
                Arguments.of("mq-pairs-0", "net.NetConfigRangeProbes#maxVirtqueuePairsInRange", "5.1.4.1", "split"),
                Arguments.of("speed-0x80000000", "net.NetConfigRangeProbes#speedInRange", "5.1.4.1", "split"),
                Arguments.of("duplex-2", "net.NetConfigRangeProbes#duplexInRange", "5.1.4.1", "split"),
                Arguments.of("rx-ignores-promisc", "net.RxModeProbes#promisc", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-allmulti", "net.RxModeProbes#allMulti", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-alluni", "net.RxModeProbes#allUni", "5.1.6.5.1.1", "packed"),
                Arguments.of("rx-ignores-nomulti", "net.RxModeProbes#noMulti", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-nouni", "net.RxModeProbes#noUni", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-nobcast", "net.RxModeProbes#noBcast", "5.1.6.5.1.1", "packed"),
                Arguments.of("mac-table-ignored", "net.MacFilterProbes#tableInEffectOnceUsed", "5.1.6.5.2.1", "split"),
                Arguments.of("mac-table-survives-reset", "net.MacFilterProbes#tableEmptyAfterReset", "5.1.6.5.2.1", "split"),
                Arguments.of("mac-set-late", "net.MacFilterProbes#macUpdatedOnceUsed", "5.1.6.5.2.1", "split"),
                Arguments.of("announce-not-cleared", "net.AnnounceProbes#ackClearsAnnounce", "5.1.6.5.4.2", "split"),
                Arguments.of("mq-ignores-pairs-set", "net.MultiqueueProbes#steersByFlow", "5.1.6.5.6", "split"),
                Arguments.of("mq-beyond-pairs", "net.MultiqueueProbes#noReceiveqBeyondPairs", "5.1.6.5.6.2", "split"),
                Arguments.of("mq-beyond-pairs", "net.MultiqueueProbes#noReceiveqBeyondPairs", "5.1.6.5.6.2", "packed"),
                Arguments.of("mq-steers-from-reset", "net.MultiqueueProbes#onlyReceiveq1AfterReset", "5.1.6.5.6.2", "split"));
    }

    /**
     * Clauses of features the reference net device does not offer (RSS): the probe FAILs on a faulty device that
     * offers the feature with a bad value, and ends in SKIP on the reference device.
     */
    static Stream<Arguments> unofferedFeatureFaults() {
        return Stream.of(
                Arguments.of("rss-key-39", "net.NetConfigRangeProbes#rssKeySizeAtLeast40", "5.1.4.1", "split"),
                Arguments.of("rss-table-127", "net.NetConfigRangeProbes#rssIndirectionTableAtLeast128", "5.1.4.1", "split"));
    }

    /** SHOULD clauses: FAIL in the matrix, and a failed test under -Dstrict. */
    static Stream<Arguments> shouldFaults() {
        return Stream.of(
                Arguments.of("rx-used-len-short", "net.NetReceiveProbes#receiveUsedLenIsHeaderAndFrame", "2.7.8.2", "split"),
                Arguments.of("rx-used-len-short", "net.NetReceiveProbes#receiveUsedLenIsHeaderAndFrame", "2.8.4", "packed"),
                Arguments.of("mtu-576", "net.NetMtuProbes#mtuAtLeast1280", "5.1.4.1", "split"),
                Arguments.of("rx-promisc-unicast-only", "net.RxModeRecommendationProbes#promiscuousReceivesEverything", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-promisc-yields", "net.RxModeRecommendationProbes#promiscuousWinsOverSuppressions", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-nomulti-drops-broadcast", "net.RxModeRecommendationProbes#noMultiSparesBroadcast", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-nobcast-yields-to-allmulti", "net.RxModeRecommendationProbes#noBcastWinsOverAllMulti", "5.1.6.5.1.1", "packed"),
                Arguments.of("rx-nouni-yields-to-alluni", "net.RxModeRecommendationProbes#noUniWinsOverAllUni", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-passes-unmatched", "net.RxModeRecommendationProbes#unmatchedDestinationsDropped", "5.1.6.5.2.1", "split"),
                Arguments.of("mq-ignores-transmitq", "net.MultiqueueProbes#answersFollowTheTransmitq", "5.1.6.5.6", "split"),
                Arguments.of("rx-ignores-allmulti", "net.RxModeRecommendationProbes#allMultiPassesEveryMulticast", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-alluni", "net.RxModeRecommendationProbes#allUniPassesEveryUnicast", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-nomulti", "net.RxModeRecommendationProbes#noMultiStopsMulticast", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-nomulti", "net.RxModeRecommendationProbes#noMultiWinsOverAllMulti", "5.1.6.5.1.1", "packed"),
                Arguments.of("rx-ignores-nouni", "net.RxModeRecommendationProbes#noUniStopsUnicast", "5.1.6.5.1.1", "split"),
                Arguments.of("rx-ignores-nobcast", "net.RxModeRecommendationProbes#noBcastStopsBroadcast", "5.1.6.5.1.1", "split"));
    }

    private static String target(String device, String ring) {
        return "inproc:" + device + "?transport=mmio&ring=" + ring + "&timeout=300ms";
    }

    private static String failure(String probe, String target, boolean strict) {
        List<Event> failed = ProbeRun.of(probe, target, strict).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-net-{0}, {3} ring")
    @MethodSource({"faults", "unofferedFeatureFaults"})
    void probeFailsOnItsClause(String fault, String probe, String section, String ring) {
        String faulty = "faulty-net-" + fault;
        String message = failure(probe, target(faulty, ring), false);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:" + faulty), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference net, {3} ring")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, target("net", ring), false).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} SKIPs on the reference net, which does not offer the feature, {3} ring")
    @MethodSource("unofferedFeatureFaults")
    void sameProbeSkipsOnTheReferenceDevice(String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, target("net", ring), false).testEvents().assertStatistics(s -> s.succeeded(0).failed(0).aborted(1));
    }

    @ParameterizedTest(name = "{1} FAILs under strict on faulty-net-{0}, {3} ring")
    @MethodSource("shouldFaults")
    void shouldProbeFailsOnItsClauseUnderStrict(String fault, String probe, String section, String ring) {
        String message = failure(probe, target("faulty-net-" + fault, ring), true);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
    }

    @ParameterizedTest(name = "{1} PASSes under strict on the reference net, {3} ring")
    @MethodSource("shouldFaults")
    void shouldProbePassesOnTheReferenceDevice(String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, target("net", ring), true).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }
}

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
 * Probe power for the virtio-pci probes (VIRTIO 1.2 §4.1): each probe FAILs, on its clause, against the blk device
 * behind a PCI function with that one deviation planted (faulty/FaultyPciDevices), and PASSes against the reference
 * function. Probes about configuration changes need a device whose configuration the target can change, so their
 * faults sit in front of the net device instead. Every target is {@code transport=pci}, where the faults live.
 */
class FaultyPciDevicesTest {
    private static final String REFERENCE = "inproc:blk?transport=pci&ring=split";
    private static final String NET_REFERENCE = "inproc:net?transport=pci&ring=split";

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("wrong-vendor", "pci.PciIdentityProbes#vendorId", "4.1.2.1"),
                Arguments.of("wrong-device-id", "pci.PciIdentityProbes#deviceIdMatchesType", "4.1.2.1"),
                Arguments.of("misaligned-common", "pci.PciCapabilityProbes#commonOffsetAligned", "4.1.4.3.1"),
                Arguments.of("misaligned-device-config", "pci.PciCapabilityProbes#deviceConfigurationOffsetAligned",
                        "4.1.4.6.1"),
                Arguments.of("short-pci-cfg-cap", "pci.PciCapabilityProbes#capLenCoversTheCapability", "4.1.4.2"),
                Arguments.of("one-byte-notify", "pci.NotifyCapabilityProbes#lengthAtLeastTwo", "4.1.4.4.1"),
                Arguments.of("notify-multiplier-six", "pci.NotifyCapabilityProbes#multiplierValid", "4.1.4.4.1"),
                Arguments.of("notify-off-past-end", "pci.NotifyCapabilityProbes#lengthCoversQueues", "4.1.4.4.1"),
                Arguments.of("feature-select-ignored", "pci.CommonConfigProbes#deviceFeatureFollowsSelect", "4.1.4.3.1"),
                Arguments.of("driver-select-ignored", "pci.CommonConfigProbes#driverFeatureReadsBack", "4.1.4.3.1"),
                Arguments.of("absent-queue-has-size", "pci.CommonConfigProbes#queueSizeZeroBeyondNumQueues", "4.1.4.3.1"),
                Arguments.of("queue-size-not-power-of-two", "pci.CommonConfigProbes#queueSizePowerOfTwo", "4.1.4.3.1"),
                Arguments.of("low-write-clears-high", "pci.CommonConfigProbes#queueAddressHalvesSeparately", "4.1.3.2"),
                Arguments.of("status-stuck-after-reset", "pci.PciResetProbes#statusReadsZeroAfterReset", "4.1.4.3.1"),
                Arguments.of("queue-enable-sticky", "pci.PciResetProbes#queueEnableZeroAfterReset", "4.1.4.3.1"),
                Arguments.of("reset-keeps-queue-size", "pci.PciResetProbes#writingZeroResets", "4.1.4.3.1"),
                Arguments.of("isr-without-queue-bit", "pci.IsrProbes#queueBitForUsedBuffer", "4.1.4.5.1"),
                Arguments.of("sticky-isr", "pci.IsrProbes#readClearsIsr", "4.1.4.5.1"),
                Arguments.of("no-interrupt-status", "pci.IsrProbes#pciStatusMirrorsIsr", "4.1.4.5.1"),
                Arguments.of("no-pci-cfg-cap", "pci.PciCfgAccessProbes#presentsPciCfgCapability", "4.1.4.9.1"),
                Arguments.of("window-reads-zero", "pci.PciCfgAccessProbes#windowReadReachesBar", "4.1.4.9.1"),
                Arguments.of("window-drops-writes", "pci.PciCfgAccessProbes#windowWriteReachesBar", "4.1.4.9.1"),
                Arguments.of("vectors-read-zero", "pci.MsixVectorProbes#vectorReadsMappedOrNoVector", "4.1.5.1.2.1"),
                Arguments.of("vectors-read-zero", "pci.MsixVectorProbes#impossibleMappingReadsNoVector", "4.1.5.1.2.1"),
                Arguments.of("vectors-read-zero", "pci.MsixVectorProbes#resetUnmapsEveryEvent", "4.1.5.1.2.1"),
                Arguments.of("vectors-read-zero", "pci.MsixVectorProbes#unmapReadsNoVector", "4.1.5.1.2.1"),
                Arguments.of("msix-table-size-too-big", "pci.MsixVectorProbes#tableSizeIsTheVectorCount", "4.1.5.1.2.1"),
                Arguments.of("queue-no-vector-uses-vector-zero", "pci.MsixInterruptProbes#queueOnNoVectorRaisesNoInterrupt",
                        "4.1.5.3.1"));
    }

    /** Faults in front of the net device, whose link the target changes: faulty-net-pci-&lt;fault&gt;. */
    static Stream<Arguments> configChangeFaults() {
        return Stream.of(
                Arguments.of("generation-stuck", "pci.PciConfigChangeProbes#generationChangesOnceAChangedValueIsRead",
                        "4.1.4.3.1"),
                Arguments.of("isr-config-bit-late", "pci.PciConfigChangeProbes#isrConfigBitBeforeTheNotification",
                        "4.1.4.5.1"),
                Arguments.of("isr-config-as-queue-bit", "pci.PciConfigChangeProbes#isrConfigBitBeforeTheNotification",
                        "4.1.4.5.1"),
                Arguments.of("config-no-vector-uses-vector-zero",
                        "pci.PciConfigChangeProbes#configChangeOnNoVectorRaisesNoInterrupt", "4.1.5.4.1"));
    }

    /** Clauses about a capability the reference function does not have: it SKIPs them, the faulty one FAILs. */
    static Stream<Arguments> faultsInAnAddedCapability() {
        return Stream.of(
                Arguments.of("virtio-vendor-data", "pci.PciCapabilityProbes#vendorDataNotVirtioVendor", "4.1.4.8.1"),
                Arguments.of("virtio-vendor-data", "pci.PciCapabilityProbes#vendorDataSizeMultipleOfFour", "4.1.4.8.1"));
    }

    /** SHOULD clauses: FAIL in the matrix, and a failed test under -Dstrict. */
    static Stream<Arguments> shouldFaults() {
        return Stream.of(
                Arguments.of("revision-zero", "pci.PciIdentityProbes#revisionAtLeastOne", "4.1.2.1"),
                Arguments.of("legacy-subsystem", "pci.PciIdentityProbes#subsystemIdAtLeast0x40", "4.1.2.1"));
    }

    private static String target(String fault) {
        return target("blk", fault);
    }

    private static String target(String device, String fault) {
        return "inproc:faulty-" + device + "-pci-" + fault + "?transport=pci&ring=split&timeout=300ms";
    }

    private static String failureMessage(String probe, String target, boolean strict) {
        List<Event> failed = ProbeRun.of(probe, target, strict).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-blk-pci-{0}")
    @MethodSource("faults")
    void probeFailsOnItsClause(String fault, String probe, String section) {
        failsOnItsClause("blk", fault, probe, section);
    }

    private static void failsOnItsClause(String device, String fault, String probe, String section) {
        String message = failureMessage(probe, target(device, fault), false);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-" + device + "-pci-" + fault), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference blk over PCI")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, REFERENCE, false).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-net-pci-{0}")
    @MethodSource("configChangeFaults")
    void configChangeProbeFailsOnItsClause(String fault, String probe, String section) {
        failsOnItsClause("net", fault, probe, section);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference net over PCI")
    @MethodSource("configChangeFaults")
    void configChangeProbePassesOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, NET_REFERENCE, false).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-blk-pci-{0}")
    @MethodSource("faultsInAnAddedCapability")
    void probeOfAnAddedCapabilityFailsOnItsClause(String fault, String probe, String section) {
        probeFailsOnItsClause(fault, probe, section);
    }

    @ParameterizedTest(name = "{1} SKIPs on the reference blk over PCI")
    @MethodSource("faultsInAnAddedCapability")
    void probeOfAnAddedCapabilitySkipsOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, REFERENCE, false).testEvents().assertStatistics(s -> s.succeeded(0).failed(0).aborted(1));
    }

    @ParameterizedTest(name = "{1} FAILs under strict on faulty-blk-pci-{0}")
    @MethodSource("shouldFaults")
    void shouldProbeFailsOnItsClauseUnderStrict(String fault, String probe, String section) {
        String message = failureMessage(probe, target(fault), true);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference blk over PCI")
    @MethodSource("shouldFaults")
    void shouldProbePassesOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, REFERENCE, true).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }
}

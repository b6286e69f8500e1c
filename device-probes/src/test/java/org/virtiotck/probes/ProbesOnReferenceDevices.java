package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Every probe class against every in-process reference device, one test per class, strict (so a broken SHOULD
 * fails too). These are the tests PIT runs in scripts/mutation: a mutant of a reference device is killed when a
 * probe FAILs on it. One method per class lets PIT rerun only the probes that cover a mutant.
 */
class ProbesOnReferenceDevices {
    static final List<String> PROBE_CLASSES = List.of("core.FeatureProbes", "core.ResetProbes", "core.StatusProbes",
            "mmio.MmioRegisterProbes", "ring.DescriptorTableProbes", "ring.UsedRingProbes", "ring.NotificationProbes",
            "ring.InOrderProbes", "ring.IndirectProbes", "blk.BlkIoProbes", "blk.BlkErrorProbes",
            "ring.RingWriteProbes", "ring.SuppressionFieldProbes", "ring.SpuriousNotifyProbes", "core.QuiescenceProbes",
            "core.NeedsResetProbes", "core.ReservedFeatureProbes", "mmio.MmioDeviceStateProbes", "ring.AvailBitProbes",
            "ring.UsedPublicationProbes", "ring.ChainOrderProbes", "ring.RingOrderProbes",
            "pci.PciIdentityProbes", "pci.PciCapabilityProbes", "pci.NotifyCapabilityProbes", "pci.CommonConfigProbes",
            "pci.PciResetProbes", "pci.IsrProbes", "pci.PciCfgAccessProbes", "pci.MsixVectorProbes",
            "console.ConsoleTransmitProbes", "console.ConsoleReceiveProbes", "console.ConsoleConfigProbes",
            "console.EmergencyWriteProbes", "rng.RngDataProbes", "rng.RngSupplyProbes",
            "net.NetTransmitProbes", "net.NetReceiveProbes", "net.ReceiveHeaderProbes",
            "net.MergeableReceiveProbes", "net.NetMtuProbes", "net.NetConfigProbes",
            "vhostuser.VhostUserProbes", "blk.BlkFeatureProbes", "blk.BlkReadOnlyProbes", "blk.BlkRangeProbes",
            "blk.BlkLifetimeProbes", "blk.BlkSegmentLimitProbes");

    /**
     * The targets every probe class runs on: all reference devices, unless {@code -Dmutation.targets} in
     * scripts/mutation names the devices whose classes a run mutates (e.g. inproc:blk,inproc:blk-ro), so that PIT
     * spends no time on devices a mutant cannot touch.
     */
    private static final List<String> TARGETS = List.of(System.getProperty("virtiotck.mutation.targets", "inproc").split(","));

    private static void passes(String probeClass) {
        for (String target : TARGETS) {
            EngineExecutionResults r = ProbeRun.ofClass(probeClass, target + "?timeout=500ms", true);
            assertEquals(0, r.testEvents().failed().count(), () -> r.testEvents().failed().list().toString());
            // A target that cannot be set up fails the class, not a probe: that must count too.
            assertEquals(0, r.containerEvents().failed().count(), () -> r.containerEvents().failed().list().toString());
        }
    }

    @Test
    void everyProbeClassIsListedHere() throws IOException {
        Path root = Path.of("src/main/java/org/virtiotck/probes");
        try (Stream<Path> files = Files.walk(root)) {
            List<String> found = files.map(p -> root.relativize(p).toString().replace('/', '.'))
                    .filter(n -> n.endsWith("Probes.java")).map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertEquals(found, PROBE_CLASSES.stream().sorted().toList(), "add new probe classes to PROBE_CLASSES "
                    + "and a test method for each");
        }
    }

    @Test
    void featureProbes() {
        passes("core.FeatureProbes");
    }

    @Test
    void resetProbes() {
        passes("core.ResetProbes");
    }

    @Test
    void statusProbes() {
        passes("core.StatusProbes");
    }

    @Test
    void mmioRegisterProbes() {
        passes("mmio.MmioRegisterProbes");
    }

    @Test
    void descriptorTableProbes() {
        passes("ring.DescriptorTableProbes");
    }

    @Test
    void usedRingProbes() {
        passes("ring.UsedRingProbes");
    }

    @Test
    void notificationProbes() {
        passes("ring.NotificationProbes");
    }

    @Test
    void inOrderProbes() {
        passes("ring.InOrderProbes");
    }

    @Test
    void indirectProbes() {
        passes("ring.IndirectProbes");
    }

    @Test
    void blkIoProbes() {
        passes("blk.BlkIoProbes");
    }

    @Test
    void blkErrorProbes() {
        passes("blk.BlkErrorProbes");
    }

    @Test
    void ringWriteProbes() {
        passes("ring.RingWriteProbes");
    }

    @Test
    void suppressionFieldProbes() {
        passes("ring.SuppressionFieldProbes");
    }

    @Test
    void spuriousNotifyProbes() {
        passes("ring.SpuriousNotifyProbes");
    }

    @Test
    void quiescenceProbes() {
        passes("core.QuiescenceProbes");
    }

    @Test
    void needsResetProbes() {
        passes("core.NeedsResetProbes");
    }

    @Test
    void reservedFeatureProbes() {
        passes("core.ReservedFeatureProbes");
    }

    @Test
    void mmioDeviceStateProbes() {
        passes("mmio.MmioDeviceStateProbes");
    }

    @Test
    void availBitProbes() {
        passes("ring.AvailBitProbes");
    }

    @Test
    void usedPublicationProbes() {
        passes("ring.UsedPublicationProbes");
    }

    @Test
    void chainOrderProbes() {
        passes("ring.ChainOrderProbes");
    }

    @Test
    void ringOrderProbes() {
        passes("ring.RingOrderProbes");
    }

    @Test
    void pciIdentityProbes() {
        passes("pci.PciIdentityProbes");
    }

    @Test
    void pciCapabilityProbes() {
        passes("pci.PciCapabilityProbes");
    }

    @Test
    void notifyCapabilityProbes() {
        passes("pci.NotifyCapabilityProbes");
    }

    @Test
    void commonConfigProbes() {
        passes("pci.CommonConfigProbes");
    }

    @Test
    void pciResetProbes() {
        passes("pci.PciResetProbes");
    }

    @Test
    void isrProbes() {
        passes("pci.IsrProbes");
    }

    @Test
    void pciCfgAccessProbes() {
        passes("pci.PciCfgAccessProbes");
    }

    @Test
    void msixVectorProbes() {
        passes("pci.MsixVectorProbes");
    }

    @Test
    void consoleTransmitProbes() {
        passes("console.ConsoleTransmitProbes");
    }

    @Test
    void consoleReceiveProbes() {
        passes("console.ConsoleReceiveProbes");
    }

    @Test
    void consoleConfigProbes() {
        passes("console.ConsoleConfigProbes");
    }

    @Test
    void emergencyWriteProbes() {
        passes("console.EmergencyWriteProbes");
    }

    @Test
    void rngDataProbes() {
        passes("rng.RngDataProbes");
    }

    @Test
    void rngSupplyProbes() {
        passes("rng.RngSupplyProbes");
    }

    @Test
    void netTransmitProbes() {
        passes("net.NetTransmitProbes");
    }

    @Test
    void netReceiveProbes() {
        passes("net.NetReceiveProbes");
    }

    @Test
    void receiveHeaderProbes() {
        passes("net.ReceiveHeaderProbes");
    }

    @Test
    void mergeableReceiveProbes() {
        passes("net.MergeableReceiveProbes");
    }

    @Test
    void netMtuProbes() {
        passes("net.NetMtuProbes");
    }

    @Test
    void netConfigProbes() {
        passes("net.NetConfigProbes");
    }

    @Test
    void vhostUserProbes() {
        passes("vhostuser.VhostUserProbes");
    }

    @Test
    void blkFeatureProbes() {
        passes("blk.BlkFeatureProbes");
    }

    @Test
    void blkReadOnlyProbes() {
        passes("blk.BlkReadOnlyProbes");
    }

    @Test
    void blkRangeProbes() {
        passes("blk.BlkRangeProbes");
    }

    @Test
    void blkLifetimeProbes() {
        passes("blk.BlkLifetimeProbes");
    }

    @Test
    void blkSegmentLimitProbes() {
        passes("blk.BlkSegmentLimitProbes");
    }
}

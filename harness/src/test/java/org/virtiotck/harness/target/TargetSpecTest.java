package org.virtiotck.harness.target;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.InprocDevices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetSpecTest {

    @Test
    void inprocAloneMeansEveryReferenceDeviceOverEveryTransportAndRing() {
        var variants = TargetSpec.parse("inproc").variants().stream().map(TargetVariant::canonical).toList();
        // Reference devices come and go with their providers; these are the ones the default target must cover.
        List<String> devices = InprocDevices.all().stream().filter(InprocDeviceProvider::reference)
                .map(InprocDeviceProvider::name).toList();
        assertTrue(devices.containsAll(List.of("blk", "console", "rng")), devices.toString());
        List<String> expected = new ArrayList<>();
        for (String device : devices) {
            for (String transport : List.of("mmio", "pci")) {
                for (String ring : List.of("split", "packed")) {
                    expected.add("inproc:" + device + "?transport=" + transport + "&ring=" + ring);
                }
            }
        }
        assertEquals(expected, variants);
    }

    @Test
    void featuresAndRingBecomeTheFeaturePolicy() {
        TargetVariant v = TargetSpec.parse("inproc:blk?ring=packed&transport=pci&features=+EVENT_IDX,-VIRTIO_F_INDIRECT_DESC,+blk_f_ro")
                .variants().get(0);
        assertTrue(v.policy().require().has(Feature.RING_PACKED));
        assertTrue(v.policy().require().has(Feature.EVENT_IDX));
        assertTrue(v.policy().require().has(Feature.BLK_RO));
        assertTrue(v.policy().forbid().has(Feature.INDIRECT_DESC));
        assertEquals("inproc:blk?transport=pci&ring=packed&features=+BLK_F_RO,+EVENT_IDX,-INDIRECT_DESC", v.canonical());
        assertEquals(v, TargetSpec.parse(v.canonical()).variants().get(0));
        assertTrue(TargetSpec.parse("inproc:blk?ring=split").variants().get(0).policy().forbid().has(Feature.RING_PACKED));
    }

    @Test
    void optionsAreParsedAndKeptInTheCanonicalForm() {
        TargetVariant v = TargetSpec.parse(" inproc:blk?timeout=250ms&transport=mmio ").variants().get(0);
        assertEquals(Duration.ofMillis(250), v.timeout());
        assertEquals(v, TargetSpec.parse(v.canonical()).variants().get(0));
        assertEquals(Duration.ofMinutes(2), TargetSpec.parse("inproc?timeout=2m").variants().get(0).timeout());
    }

    @Test
    void deviceFeaturesAreReadAsTheDeviceTypeOfEachVariant() {
        TargetVariant blk = TargetSpec.parse("inproc:blk?features=-BLK_F_RO").variants().get(0);
        assertEquals(DeviceType.BLK, blk.type());
        assertTrue(blk.canonical().endsWith("&features=-BLK_F_RO"), blk.canonical());
        // A target over several devices applies a device feature to its own type only.
        for (TargetVariant v : TargetSpec.parse("inproc?features=-BLK_F_RO,-EVENT_IDX").variants()) {
            assertTrue(v.features().forbid().has(Feature.EVENT_IDX), v.label());
            assertEquals(v.type() == DeviceType.BLK, v.features().forbid().has(Feature.BLK_RO), v.label());
        }
    }

    @Test
    void qemuAloneMeansEveryDeviceTheHarnessSetsUpInQemuOverEveryTransportAndRing() {
        var variants = TargetSpec.parse("qemu").variants().stream().map(TargetVariant::canonical).toList();
        List<String> expected = new ArrayList<>();
        for (DeviceType type : TargetSpec.QEMU_DEVICES) {
            for (String transport : List.of("mmio", "pci")) {
                for (String ring : List.of("split", "packed")) {
                    expected.add("qemu:" + type.lowerName() + "?transport=" + transport + "&ring=" + ring);
                }
            }
        }
        assertEquals(expected, variants);
        assertTrue(TargetSpec.QEMU_DEVICES.containsAll(List.of(DeviceType.BLK, DeviceType.RNG)));
    }

    @Test
    void qemuVariantsRoundTripThroughTheirCanonicalForm() {
        for (String target : List.of("qemu:blk?transport=pci&ring=packed", "qemu:rng?transport=mmio&ring=split",
                "qemu:blk?ring=split&timeout=30s&features=-EVENT_IDX", "qemu?transport=pci")) {
            for (TargetVariant v : TargetSpec.parse(target).variants()) {
                assertEquals(TargetVariant.QEMU, v.kind());
                assertEquals(List.of(v), TargetSpec.parse(v.canonical()).variants(), v.canonical());
            }
        }
        TargetVariant v = TargetSpec.parse("qemu:blk?transport=pci&ring=packed&timeout=30s").variants().get(0);
        assertEquals("qemu:blk?transport=pci&ring=packed&timeout=30000ms", v.canonical());
        assertEquals("qemu:blk pci packed", v.label());
        assertEquals(DeviceType.BLK, v.type());
        assertTrue(v.policy().require().has(Feature.RING_PACKED));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"bogus", "inproc:nosuchdevice", "inproc:", "inproc:blk?", "inproc:blk?ring=wavy",
            "inproc:blk?transport=ccw", "inproc:blk?features=EVENT_IDX", "inproc:blk?features=+NO_SUCH",
            "inproc:blk?features=+EVENT_IDX,-EVENT_IDX", "inproc:blk?features=+", "inproc:blk?colour=red", "inproc:blk?timeout=5", "inproc:blk?timeout=0s",
            "inproc:blk?timeout=99999m", "inproc:blk?timeout", "inproc:blk?features=+NET_F_MAC", "inproc:blk?ring=split&ring=split",
            "vhost-user:/tmp/x.sock", "qemu:", "qemu:nosuchdevice", "qemu:blk?transport=ccw", "qemu:rng?ring=both&ring=split",
            "qemu:blk?image=/tmp/disk.img", "qemu:blk?device=blk", "qemu?features=+NO_SUCH", "qemu:rng?features=+BLK_F_RO",
            "qemu-container:nosuchdevice", "qemu-container:blk?image=virtio-tck/no-such-image:0", "qemu-container:rng?image=",
            "   "})
    void badTargetsGiveOneLineNamingTheProblemAndTheAcceptedForms(String target) {
        TargetException e = assertThrows(TargetException.class, () -> TargetSpec.parse(target));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad target: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Accepted: " + TargetSpec.acceptedForms()), e.getMessage());
        assertEquals(0, e.getStackTrace().length, "user input errors carry no stack trace");
    }
}

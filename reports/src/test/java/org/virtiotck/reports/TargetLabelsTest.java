package org.virtiotck.reports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetLabelsTest {
    @Test
    void inprocVariantsAreNamedByDeviceTransportAndRing() {
        List<String> targets = List.of("inproc:blk?transport=mmio&ring=split&timeout=2s",
                "inproc:net?transport=pci&ring=packed&timeout=2s");
        assertEquals("inproc", TargetLabels.runLabel(targets));
        assertEquals(List.of("blk mmio split", "net pci packed"), TargetLabels.columnLabels(targets));
    }

    @Test
    void aBackendRunIsNamedByItsSocketAndItsColumnsByWhatDiffers() {
        List<String> targets = List.of("vhost-user:/run/b.sock?device=blk&image=/b.img",
                "vhost-user:/run/b.sock?device=blk&image=/b.img&ring=split",
                "vhost-user:/run/b.sock?device=blk&image=/b.img&ring=packed");
        assertEquals("vhost-user:/run/b.sock", TargetLabels.runLabel(targets));
        assertEquals(List.of(TargetLabels.AS_GIVEN, "split", "packed"), TargetLabels.columnLabels(targets));
    }

    @Test
    void runsOfUnrelatedTargetsAreNamedByAllOfThem() {
        assertEquals("inproc:blk, qemu:blk", TargetLabels.runLabel(List.of("inproc:blk", "qemu:blk")));
        assertEquals("unknown", TargetLabels.runLabel(List.of("unknown")));
    }
}

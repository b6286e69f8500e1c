package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.DeviceType;

class InprocDevicesTest {

    @Test
    void blkIsRegisteredAsAReferenceDevice() {
        InprocDeviceProvider blk = InprocDevices.byName("blk").orElseThrow();
        assertTrue(blk.reference());
        VirtioDevice device = blk.create();
        assertEquals(DeviceType.BLK, device.type());
        assertEquals(2048, ((BlkDevice) device).capacitySectors());
        assertEquals("virtio-tck-blk0", ((BlkDevice) device).serial());
    }

    @Test
    void unknownNamesAreEmpty() {
        assertTrue(InprocDevices.byName("nope").isEmpty());
    }

    @Test
    void allIsSortedByName() {
        var names = InprocDevices.all().stream().map(InprocDeviceProvider::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
        assertTrue(names.contains("blk"));
    }
}

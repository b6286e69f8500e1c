package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/** The reference block device: 1 MiB, writable, serial "virtio-tck-blk0". */
public final class BlkDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "blk";
    public static final long CAPACITY_SECTORS = 2048;
    public static final String SERIAL = "virtio-tck-blk0";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public boolean reference() {
        return true;
    }

    @Override
    public VirtioDevice create() {
        return new BlkDevice(CAPACITY_SECTORS, SERIAL, false);
    }
}

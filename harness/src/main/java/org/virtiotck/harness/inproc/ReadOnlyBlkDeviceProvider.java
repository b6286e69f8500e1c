package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/**
 * The reference block device offering VIRTIO_BLK_F_RO: the same 1 MiB RAM disk, refusing every write. A reference
 * device, so that the default {@code inproc} target runs the read-only probes, which SKIP on writable devices.
 */
public final class ReadOnlyBlkDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "blk-ro";
    public static final String SERIAL = "virtio-tck-blk-ro";

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
        return new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, SERIAL, true);
    }
}

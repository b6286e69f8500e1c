package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;

/**
 * Makes an in-process device for a target string such as {@code inproc:blk}. Registered through
 * {@link java.util.ServiceLoader}; see {@link InprocDevices}.
 */
public interface InprocDeviceProvider {

    /** The name used in target strings, e.g. "blk"; unique among providers. */
    String name();

    /** The device type it makes, known before one is made: it decides which device features a target may name. */
    DeviceType type();

    /** True for this project's correct reference devices; false for deliberately faulty test devices. */
    boolean reference();

    /** A fresh device in its initial state. */
    VirtioDevice create();

    /** The virtio-mmio register file in front of the device; a faulty test device may wrap or replace it. */
    default MmioBus registers(VirtioDevice device, GuestMemory memory) {
        return new MmioDeviceModel(device, memory);
    }

    /** The virtio-pci function in front of the device; a faulty test device may subclass it to plant a deviation. */
    default PciDeviceModel pciFunction(VirtioDevice device, GuestMemory memory) {
        return new PciDeviceModel(device, memory);
    }
}

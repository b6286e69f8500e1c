package org.virtiotck.harness.inproc;

/**
 * How a device's notifications to the driver travel (VIRTIO 1.2 §2.3): the register model in front of a
 * {@link DeviceCore} decides. Without a route of its own a register model gets the INTx style one, where each
 * notification sets its bit in the interrupt status (virtio-mmio's InterruptStatus, virtio-pci's ISR). Called
 * with the register model's lock held.
 */
interface InterruptRoute {

    /** The device made buffers used on {@code queue} and the driver wants to be told (§2.7.7.2, §2.8.21). */
    void usedBuffer(int queue);

    /** The device changed its configuration space, or needs a reset (§2.1.2, §2.5). */
    void configChange();
}

/**
 * In-process reference devices: the device side of virtio, run inside the test JVM.
 *
 * <p>{@link org.virtiotck.harness.inproc.MmioDeviceModel} is the virtio-mmio register file (VIRTIO 1.2 §4.2.2)
 * in front of one {@link org.virtiotck.harness.inproc.VirtioDevice}; device types only see
 * {@link org.virtiotck.harness.inproc.DeviceQueue}s and validated
 * {@link org.virtiotck.harness.inproc.DescriptorChain}s, never the transport.
 */
package org.virtiotck.harness.inproc;

package org.virtiotck.harness.session;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.InprocDevices;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.PciDeviceModel;
import org.virtiotck.harness.inproc.VirtioDevice;
import org.virtiotck.harness.target.TargetVariant;

/**
 * A session with an in-process device behind the virtio-mmio or virtio-pci register model, sharing guest memory
 * with the driver in the same JVM. Guest RAM starts at the address QEMU's virt machine uses, so addresses look real.
 */
final class InprocSession extends DeviceSession {
    static final long RAM_BASE = 0x4000_0000L;
    static final int RAM_SIZE = 4 << 20;
    static final int GUARD = 64;
    /** Where the harness, playing firmware, places PCI BARs: QEMU virt's 32-bit MMIO window. */
    static final long PCI_MMIO_BASE = 0x1000_0000L;

    private final VirtioDevice device;

    private InprocSession(TargetVariant variant, VirtioDevice device, Transport transport, GuestMemory memory) {
        super(variant, transport, memory, new Allocator(memory, RAM_BASE, RAM_SIZE, GUARD),
                RequestTrace.bounded(RequestTrace.SESSION_CAPACITY));
        this.device = device;
    }

    /** A virtio-pci function in front of the device, with its BARs assigned and capabilities walked. */
    private static Transport pci(PciDeviceModel function) {
        PciTransport.assignBars(function, PCI_MMIO_BASE);
        return PciTransport.probe(function, function);
    }

    static Session open(TargetVariant variant) {
        InprocDeviceProvider provider = InprocDevices.byName(variant.device()).orElseThrow();
        VirtioDevice device = provider.create();
        GuestMemory memory = ByteBufferGuestMemory.allocate(RAM_BASE, RAM_SIZE);
        Transport transport = variant.transport().equals("pci") ? pci(provider.pciFunction(device, memory))
                : new MmioTransport(provider.registers(device, memory));
        return new InprocSession(variant, device, transport, memory);
    }


    @Override
    public DeviceType deviceType() {
        return device.type();
    }





    @Override
    public Optional<BlkImage> blkImage() {
        return device instanceof BlkDevice blk ? Optional.of(new ArrayBlkImage(blk.image())) : Optional.empty();
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return device.farSide(kind);
    }

    @Override
    public void close() {
        // Nothing outside the JVM heap to release: memory and device are garbage once the session is dropped.
    }
}

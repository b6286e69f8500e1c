package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioRegister;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.driver.transport.pci.PciCapabilities;
import org.virtiotck.driver.transport.pci.PciTransport;

/**
 * Any reference device behind the virtio-mmio or virtio-pci register model, driven by the driver model (which
 * validates every used entry and every byte the device writes), for device tests and properties that need more
 * than one queue or a packed ring. Raw configuration writes go straight to the bus, since {@link Transport} only
 * reads configuration.
 */
public final class DriverRig {

    /** The ring features a rig asks for; the driver takes those the device offers. */
    public record Rings(boolean packed, boolean indirect, boolean eventIdx, boolean inOrder) {
        public static Rings plain(boolean packed) {
            return new Rings(packed, false, false, false);
        }

        public static Rings all(boolean packed) {
            return new Rings(packed, true, true, true);
        }

        FeatureSet features() {
            FeatureSet f = FeatureSet.NONE;
            f = packed ? f.with(Feature.RING_PACKED) : f;
            f = indirect ? f.with(Feature.INDIRECT_DESC) : f;
            f = eventIdx ? f.with(Feature.EVENT_IDX) : f;
            return inOrder ? f.with(Feature.IN_ORDER) : f;
        }

        @Override
        public String toString() {
            return (packed ? "packed" : "split") + (indirect ? "+indirect" : "") + (eventIdx ? "+event_idx" : "")
                    + (inOrder ? "+in_order" : "");
        }
    }

    /** A raw write of the device-specific configuration space. */
    @FunctionalInterface
    private interface ConfigWriter {
        void write(int offset, int width, long value);
    }

    public final VirtioDevice device;
    public final GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 4 << 20);
    public final Allocator alloc = new Allocator(memory, memory.base(), memory.size(), 32);
    public final Transport transport;
    public final VirtioDriver driver;
    private final ConfigWriter configWriter;

    private DriverRig(VirtioDevice device, boolean pci) {
        this.device = device;
        if (pci) {
            PciDeviceModel function = new PciDeviceModel(device, memory);
            PciTransport.assignBars(function, 0x1000_0000L);
            PciTransport t = PciTransport.probe(function, function);
            long config = t.structure(PciCapabilities.CAP_DEVICE_CFG).orElseThrow().address();
            this.transport = t;
            this.configWriter = (offset, width, value) -> function.write(config + offset, width, value);
        } else {
            MmioBus mmio = new MmioDeviceModel(device, memory);
            this.transport = new MmioTransport(mmio);
            this.configWriter = (offset, width, value) -> mmio.write(MmioRegister.CONFIG + offset, width, value);
        }
        this.driver = new VirtioDriver(transport, alloc, Duration.ofSeconds(5));
    }

    /** The device behind virtio-mmio, not yet started. */
    public static DriverRig mmio(VirtioDevice device) {
        return new DriverRig(device, false);
    }

    /** The device behind virtio-pci, BARs assigned, not yet started. */
    public static DriverRig pci(VirtioDevice device) {
        return new DriverRig(device, true);
    }

    /**
     * Negotiates the ring features of {@code rings} and {@code deviceFeatures}, sets up every queue of the
     * device with {@code queueSize} entries and sets DRIVER_OK. Fails when the device refused any of them.
     */
    public DriverRig start(Rings rings, FeatureSet deviceFeatures, int queueSize) {
        FeatureSet wanted = rings.features().or(deviceFeatures).with(Feature.VERSION_1);
        assertEquals(wanted, driver.start(wanted, device.queueCount(), queueSize), "features the device took");
        return this;
    }

    public Virtqueue queue(int index) {
        return driver.queue(index);
    }

    public void writeConfig(int offset, int width, long value) {
        configWriter.write(offset, width, value);
    }

    /** Makes one chain of writable buffers of the given sizes available and notifies if the device asks. */
    public void post(Virtqueue q, int... sizes) {
        List<Buffer> writable = new ArrayList<>();
        for (int size : sizes) {
            writable.add(alloc.writable(size));
        }
        q.add(List.of(), writable);
        driver.kick(q);
    }

    /** The first {@code usedLen} bytes of a completion's writable buffers, in order. */
    public byte[] written(Completion c) {
        byte[] out = new byte[Math.toIntExact(c.usedLen())];
        int at = 0;
        for (Buffer b : c.chain().writable()) {
            int n = Math.min(b.length(), out.length - at);
            memory.read(b.address(), out, at, n);
            at += n;
        }
        return out;
    }
}

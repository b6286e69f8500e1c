package org.virtiotck.harness.qemu;

import java.time.Duration;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.mmio.MmioTransport;

/**
 * A driver over a QEMU session's virtio-mmio slot that writes only driver feature words 0 and 1, as Linux does:
 * QEMU 7.2 aliases DriverFeaturesSel values above 1 to 1, so the driver model's writes of words 2 and 3 would wipe
 * word 1 (VERSION_1, RING_PACKED). For tests of what lies behind the device, not of the device's feature handling.
 */
final class TwoFeatureWords {
    private static final int DRIVER_FEATURES = 0x20;
    private static final int DRIVER_FEATURES_SEL = 0x24;

    private TwoFeatureWords() {
    }

    static VirtioDriver driver(QemuSession s) {
        MmioBus bus = s.physicalBus();
        long slot = QemuDevice.MMIO_SLOT0;
        MmioBus twoWords = new MmioBus() {
            private long selected;

            @Override
            public long read(long offset, int width) {
                return bus.read(slot + offset, width);
            }

            @Override
            public void write(long offset, int width, long value) {
                if (offset == DRIVER_FEATURES_SEL) {
                    selected = value;
                }
                if (offset != DRIVER_FEATURES || selected < 2) {
                    bus.write(slot + offset, width, value);
                }
            }
        };
        return new VirtioDriver(new MmioTransport(twoWords), s.allocator(), Duration.ofSeconds(5), s.target().policy());
    }
}

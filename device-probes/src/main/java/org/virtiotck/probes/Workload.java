package org.virtiotck.probes;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.Session;

/**
 * The smallest request each device type completes at once, whatever its configuration, so that ring and
 * notification probes run on every device type: blk reads sector 0, net transmits one minimal frame, console
 * transmits one byte, rng fills 64 bytes. The request's layout is left to the caller (direct or indirect).
 */
public final class Workload {
    /** virtio_net_hdr with VERSION_1 (§5.1.6), then a 60-byte Ethernet frame: broadcast, no payload protocol. */
    private static final int NET_HDR = 12;
    private static final int NET_FRAME = 60;

    private final VirtioDriver driver;
    private final DeviceType type;
    private final Virtqueue queue;

    private Workload(VirtioDriver driver, DeviceType type, Virtqueue queue) {
        this.driver = driver;
        this.type = type;
        this.queue = queue;
    }

    /**
     * Starts the session's device with {@code wanted} (the features the driver model implements, or a subset a
     * probe chooses), sets up the queues its type needs, and returns the workload on its request queue.
     */
    public static Workload start(Session session, FeatureSet wanted) {
        Workload w = prepare(session, wanted);
        w.driver.driverOk();
        return w;
    }

    /**
     * As {@link #start(Session, FeatureSet)} but stops before DRIVER_OK, for probes about what a device does
     * before the driver finished initializing it; the probe sets DRIVER_OK itself.
     */
    public static Workload prepare(Session session, FeatureSet wanted) {
        DeviceType type = session.deviceType();
        Assumptions.assumeTrue(type != null, "the device type of " + session.target().canonical() + " is unknown");
        VirtioDriver driver = session.driver();
        driver.negotiate(wanted);
        for (int q = 0; q < type.baseQueues(); q++) {
            driver.setupQueue(q, Devices.QUEUE_SIZE);
        }
        return new Workload(driver, type, driver.queue(requestQueue(type)));
    }

    /** The queue the workload's requests go to: transmitq of net and console, the only queue of blk and rng. */
    public static int requestQueue(DeviceType type) {
        return type == DeviceType.NET || type == DeviceType.CONSOLE ? 1 : 0;
    }

    public static Workload start(Session session) {
        return start(session, Devices.DRIVER_SUPPORTS);
    }

    public VirtioDriver driver() {
        return driver;
    }

    public Virtqueue queue() {
        return queue;
    }

    /** Buffers of one request in a fresh allocation; data the device reads carries a recognisable pattern. */
    public Request request() {
        return request(driver.allocator(), type);
    }

    /** The request of {@code type} in a fresh allocation from {@code alloc}, for probes that lay out rings themselves. */
    public static Request request(Allocator alloc, DeviceType type) {
        return switch (type) {
            case BLK -> new Request(List.of(alloc.readable(BlkRequest.header(BlkRequest.T_IN, 0))),
                    List.of(alloc.writable(BlkRequest.SECTOR_SIZE), alloc.writable(1)));
            case NET -> {
                byte[] frame = Devices.pattern(NET_FRAME, 3);
                for (int i = 0; i < 6; i++) {
                    frame[i] = (byte) 0xff;   // broadcast destination
                }
                yield new Request(List.of(alloc.readable(new byte[NET_HDR]), alloc.readable(frame)), List.of());
            }
            case CONSOLE -> new Request(List.of(alloc.readable(new byte[] {'v'})), List.of());
            case RNG -> new Request(List.of(), List.of(alloc.writable(64)));
        };
    }

    /** One request's buffers: device-readable first, then device-writable. */
    public record Request(List<Buffer> readable, List<Buffer> writable) {

        public int descriptors() {
            return readable.size() + writable.size();
        }

        /** Whether every device-writable byte still holds the allocator's poison: the device wrote none of them. */
        public boolean writableUntouched(GuestMemory memory) {
            for (Buffer b : writable) {
                for (byte v : memory.read(b.address(), b.length())) {
                    if (v != Allocator.POISON) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}

package org.virtiotck.harness.inproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.Consumer;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * A virtio console device (VIRTIO 1.2 §5.3). With one port (the default) VIRTIO_CONSOLE_F_MULTIPORT is not
 * offered, so the device has just port 0's receiveq (0) and transmitq (1), and no control queues (§5.3.2). With
 * more ({@link #multiport()}) it offers MULTIPORT and has the control queues (2, 3) and a queue pair per port
 * (§5.3.2) from the start, whatever the driver negotiates; only when MULTIPORT is negotiated does it use them,
 * as {@link MultiportControl} says. Port 0 behaves the same either way. Its far side is a {@link ConsoleHost}:
 * {@code farSide(ConsoleHost.class)}, whose {@code port(n)} reaches the other ports.
 *
 * <p>Transmit: the readable bytes of each chain go to the host end in ring order, and the chain returns with used
 * len 0, since the device writes nothing. Receive: bytes from the host wait until the driver posts receive
 * buffers, then fill them in order, a run longer than one buffer going on in the next; used len is the number of
 * bytes placed (see {@link SupplyFiller}). Host bytes are the host's, not device state, so they survive a reset.
 *
 * <p>§5.3.6.1 forbids the driver readable buffers in a receiveq and writable ones in a transmitq, but no device
 * requirement says what the device does with them. This device ignores the part it has no use for: it never
 * reads a receive buffer's readable bytes (and never writes them, as §2.7.5.1 forbids) nor writes a transmit
 * buffer's writable ones, and serves the rest. A receive buffer with no writable byte comes back with len 0. The
 * control queues are served alike, each control receive buffer taking one whole message.
 *
 * <p>Configuration (§5.3.4): cols and rows while F_SIZE is offered (0 otherwise); max_nr_ports reads the number
 * of ports, 1 without MULTIPORT (where the field has no meaning); emerg_wr reads 0. With F_EMERG_WRITE offered,
 * the low byte of any write to emerg_wr goes to the host end at once: §5.3.4 and §5.3.5 let the driver use it at
 * any time, before it has even acknowledged the feature, and §5.3.5.1 says the device must take such a write even
 * when unconfigured. The byte joins the transmitted stream, as on a real console, where both reach one output.
 */
public final class ConsoleDevice implements VirtioDevice {
    public static final int MAX_QUEUE_SIZE = 256;
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int DEFAULT_COLS = 80;
    public static final int DEFAULT_ROWS = 25;
    /** max_nr_ports of {@link #multiport()}. */
    public static final int MULTIPORT_PORTS = 4;

    /** struct virtio_console_config (§5.3.4): cols, rows (u16 each), max_nr_ports, emerg_wr (u32 each). */
    static final int CONFIG_BYTES = 12;
    static final int CONFIG_SIZE = 0;
    static final int CONFIG_MAX_NR_PORTS = 4;
    static final int CONFIG_EMERG_WR = 8;
    /** Transmitted bytes go to the host end in pieces of at most this, so a huge chain needs no huge array. */
    private static final int TX_PIECE = 64 << 10;

    private final FeatureSet offered;
    private final HostLink host = new HostLink();
    private final ConsoleHostEnd hostEnd;
    private final MultiportControl ports;

    /** A console of {@value #DEFAULT_COLS}x{@value #DEFAULT_ROWS} offering F_SIZE and F_EMERG_WRITE, port 0 only. */
    public ConsoleDevice() {
        this(DEFAULT_COLS, DEFAULT_ROWS, true, true);
    }

    /** As {@link #ConsoleDevice()}, offering MULTIPORT too with {@value #MULTIPORT_PORTS} ports, 0 and 1 plugged. */
    public static ConsoleDevice multiport() {
        return new ConsoleDevice(DEFAULT_COLS, DEFAULT_ROWS, true, true, MULTIPORT_PORTS);
    }

    /** A console with port 0 only, without MULTIPORT. */
    public ConsoleDevice(int cols, int rows, boolean offerSize, boolean offerEmergWrite) {
        this(cols, rows, offerSize, offerEmergWrite, 1);
    }

    /**
     * @param cols            initial width, 0..65535
     * @param rows            initial height, 0..65535
     * @param offerSize       offer VIRTIO_CONSOLE_F_SIZE: cols and rows are valid and the host end can resize
     * @param offerEmergWrite offer VIRTIO_CONSOLE_F_EMERG_WRITE: writes to emerg_wr reach the host end
     * @param maxPorts        max_nr_ports, 1..0x7fff; above 1 the device offers VIRTIO_CONSOLE_F_MULTIPORT
     */
    public ConsoleDevice(int cols, int rows, boolean offerSize, boolean offerEmergWrite, int maxPorts) {
        if (maxPorts < 1 || maxPorts > 0x7fff) {
            throw new IllegalArgumentException("max_nr_ports " + maxPorts + " leaves no room for the queues");
        }
        FeatureSet features = ReferenceFeatures.RING;
        features = offerSize ? features.with(Feature.CONSOLE_SIZE) : features;
        features = offerEmergWrite ? features.with(Feature.CONSOLE_EMERG_WRITE) : features;
        this.offered = maxPorts > 1 ? features.with(Feature.CONSOLE_MULTIPORT) : features;
        this.ports = new MultiportControl(host, maxPorts);
        this.hostEnd = new ConsoleHostEnd(host, ports, offerSize, cols, rows);
    }

    @Override
    public DeviceType type() {
        return DeviceType.CONSOLE;
    }

    @Override
    public FeatureSet offeredFeatures() {
        return offered;
    }

    @Override
    public int queueCount() {
        return ports.maxPorts() > 1 ? ConsoleQueues.count(ports.maxPorts()) : 2;
    }

    @Override
    public int maxQueueSize() {
        return MAX_QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        return ByteBuffer.allocate(CONFIG_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(CONFIG_SIZE, hostEnd.size())
                .putInt(CONFIG_MAX_NR_PORTS, ports.maxPorts())
                .array();
    }

    @Override
    public void writeConfig(int offset, int width, long value) {
        if (offset == CONFIG_EMERG_WR && offered.has(Feature.CONSOLE_EMERG_WRITE)) {
            hostEnd.emergencyWrite((byte) value);
        }
        // Every other field is read-only.
    }

    @Override
    public void featuresNegotiated(FeatureSet accepted) {
        // Only MULTIPORT changes what the device does: the size fields and emerg_wr behave as the offer says
        // whether or not the driver took the features.
        ports.featuresNegotiated(accepted.has(Feature.CONSOLE_MULTIPORT));
    }

    @Override
    public void reset() {
        // Chains are never held inside the device (transmit returns each at once, receive pops only when it has
        // bytes), so nothing of the driver's is left to drop; the host's bytes, ports and the size stay, while
        // what the driver was told of the ports goes.
        ports.reset();
    }

    @Override
    public void attach(DeviceHost deviceHost) {
        host.attach(deviceHost);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return kind == ConsoleHost.class ? Optional.of(kind.cast(hostEnd)) : Optional.empty();
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        int port = ConsoleQueues.portOf(queueIndex);
        if (port < 0) {
            control(queueIndex, queue);
        } else if (!ports.carries(port)) {
            // A port the driver does not know: receive buffers wait, transmitted bytes go nowhere.
            if (queueIndex % 2 == 1) {
                transmit(queue, piece -> { });
            }
        } else if (queueIndex % 2 == 0) {
            SupplyFiller.fill(queue, ports.port(port).toDriver(), chain -> { });
        } else {
            transmit(queue, ports.port(port)::fromDriver);
        }
    }

    /** The control queues, in use only with MULTIPORT negotiated. */
    private void control(int queueIndex, DeviceQueue queue) {
        if (queueIndex == ConsoleQueues.CONTROL_RECEIVEQ) {
            SupplyFiller.fill(queue, ports.outbox(), chain -> { });
            return;
        }
        GuestMemory mem = queue.memory();
        for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
            DescriptorChain chain = next.get();
            ChainReader reader = chain.reader(mem);
            byte[] message = new byte[(int) Math.min(reader.remaining(), TX_PIECE)];
            reader.read(message);
            queue.push(chain, 0);
            ports.fromDriver(message);
        }
    }

    private static void transmit(DeviceQueue queue, Consumer<byte[]> output) {
        GuestMemory mem = queue.memory();
        for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
            DescriptorChain chain = next.get();
            ChainReader reader = chain.reader(mem);
            while (reader.remaining() > 0) {
                byte[] piece = new byte[(int) Math.min(reader.remaining(), TX_PIECE)];
                reader.read(piece);
                output.accept(piece);
            }
            queue.push(chain, 0);
        }
    }
}

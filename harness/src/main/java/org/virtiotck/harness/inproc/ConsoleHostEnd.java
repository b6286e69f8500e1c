package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * The host end of the in-process console: the two byte streams of port 0 and the console size, and under
 * MULTIPORT the other ports and their plugging (kept by {@link MultiportControl}). Bytes for the driver queue
 * up until the device finds receive buffers for them; bytes from the driver queue up until a probe drains them.
 * Sizes are one packed word, so a reader never sees cols of one size with rows of another.
 */
final class ConsoleHostEnd implements ConsoleHost {
    private final HostLink host;
    private final MultiportControl ports;
    private final boolean sizeOffered;
    /** cols in the low 16 bits, rows in the high 16. */
    private volatile int size;

    ConsoleHostEnd(HostLink host, MultiportControl ports, boolean sizeOffered, int cols, int rows) {
        this.host = host;
        this.ports = ports;
        this.sizeOffered = sizeOffered;
        int initial = pack(cols, rows);     // checks the range whether or not it is used
        // Without F_SIZE the fields are not valid (§5.3.3), and they read 0.
        this.size = sizeOffered ? initial : 0;
    }

    @Override
    public void sendToDriver(byte[] bytes) {
        ports.port(0).sendToDriver(bytes);
    }

    @Override
    public byte[] drainFromDriver() {
        return ports.port(0).drainFromDriver();
    }

    @Override
    public Optional<ConsoleHost> port(long id) {
        return id == 0 ? Optional.of(this) : ports.hostPort(id);
    }

    @Override
    public boolean addPort(long id) {
        return ports.plug(id);
    }

    @Override
    public boolean removePort(long id) {
        return ports.unplug(id);
    }

    @Override
    public boolean resize(int cols, int rows) {
        int next = pack(cols, rows);
        if (!sizeOffered) {
            return false;
        }
        if (next != size) {
            host.changeConfig(() -> size = next);
        }
        return true;
    }

    /** What the driver wrote to emerg_wr: port 0's output, with what it transmits there. */
    void emergencyWrite(byte b) {
        ports.port(0).fromDriver(new byte[] {b});
    }

    /**
     * The size as one word, cols in the low 16 bits and rows in the high 16: read once, it is one consistent
     * size, and stored little-endian it is the config's cols field followed by its rows field.
     */
    int size() {
        return size;
    }

    /** Both sizes in one word; each must fit the u16 config field. */
    private static int pack(int cols, int rows) {
        if (cols < 0 || cols > 0xffff || rows < 0 || rows > 0xffff) {
            throw new IllegalArgumentException("console size " + cols + "x" + rows + " does not fit 16-bit fields");
        }
        return rows << 16 | cols;
    }
}

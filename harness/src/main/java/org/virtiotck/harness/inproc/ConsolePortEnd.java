package org.virtiotck.harness.inproc;

import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * The host end of one console port: bytes for the driver queue up until the device finds buffers in the port's
 * receiveq, bytes from the driver until a probe drains them. Only port 0 has a size, so {@link #resize} is false.
 */
final class ConsolePortEnd implements ConsoleHost {
    private final ByteFifo toDriver = new ByteFifo();
    private final ByteFifo fromDriver = new ByteFifo();
    private final HostLink host;
    private final int receiveq;

    ConsolePortEnd(HostLink host, int port) {
        this.host = host;
        this.receiveq = ConsoleQueues.receiveq(port);
    }

    @Override
    public void sendToDriver(byte[] bytes) {
        toDriver.append(bytes);
        host.serviceQueue(receiveq);
    }

    @Override
    public byte[] drainFromDriver() {
        return fromDriver.takeAll();
    }

    @Override
    public boolean resize(int cols, int rows) {
        return false;
    }

    /** What the driver sent on this port, in arrival order. */
    void fromDriver(byte[] bytes) {
        fromDriver.append(bytes);
    }

    ByteSupply toDriver() {
        return toDriver;
    }

    /** Drops the bytes still waiting for the driver: the port was unplugged. */
    void dropPending() {
        toDriver.takeAll();
    }
}

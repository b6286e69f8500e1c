package org.virtiotck.driver.console;

/**
 * Queue numbering of a console (VIRTIO 1.2 §5.3.2): port 0's receiveq and transmitq are 0 and 1, the control
 * receiveq and transmitq 2 and 3, and port n ≥ 1 has its pair at 2n+2 and 2n+3. Only port 0's exist without
 * VIRTIO_CONSOLE_F_MULTIPORT.
 */
public final class ConsoleQueues {
    public static final int CONTROL_RECEIVEQ = 2;
    public static final int CONTROL_TRANSMITQ = 3;

    private ConsoleQueues() {
    }

    public static int receiveq(long port) {
        return port == 0 ? 0 : Math.toIntExact(2 * port + 2);
    }

    public static int transmitq(long port) {
        return receiveq(port) + 1;
    }

    /** The port whose receiveq or transmitq {@code queue} is, or -1 for a control queue. */
    public static int portOf(int queue) {
        return queue < 2 ? 0 : queue < 4 ? -1 : queue / 2 - 1;
    }

    /** Every queue of a multiport console with {@code maxPorts} ports. */
    public static int count(int maxPorts) {
        return 2 * maxPorts + 2;
    }
}

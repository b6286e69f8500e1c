package org.virtiotck.harness.session;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.virtiotck.driver.Deadline;

/**
 * The host end of a console device's port 0 (VIRTIO 1.2 §5.3): what a terminal or a character device on the
 * host would see. A probe writes what the driver should receive and reads what the driver sent, to check both
 * directions end to end. Any target may implement it: the in-process console directly, a vhost-user or QEMU
 * target over the socket or chardev behind the port. So it speaks only of bytes and sizes, never of queues.
 *
 * <p>A console with VIRTIO_CONSOLE_F_MULTIPORT has more ports (§5.3.6.2): {@link #port} gives the host end of
 * another one, with the same byte methods, and {@link #addPort}/{@link #removePort} plug and unplug ports on the
 * host, which the device then announces to the driver. Targets that cannot do that keep the defaults.
 */
public interface ConsoleHost {

    /**
     * Sends bytes toward the driver. They wait until the driver has receive buffers available, then arrive in
     * order, possibly split over several buffers and joined with bytes sent before or after.
     */
    void sendToDriver(byte[] bytes);

    /**
     * Every byte the driver sent that reached the host since the previous call, in order: transmitted data and
     * emergency writes (§5.3.5) alike, because a real console delivers both to the same output. Returns at once,
     * with an empty array when nothing arrived.
     */
    byte[] drainFromDriver();

    /**
     * Waits until at least {@code count} bytes came from the driver, and returns every byte drained meanwhile
     * (possibly more than {@code count}). A target whose output travels through a socket needs the wait; the
     * in-process one has its bytes before the used buffer appears, so the first drain answers.
     *
     * @throws org.virtiotck.driver.DeviceTimeoutException when fewer bytes arrived by the deadline
     */
    default byte[] awaitFromDriver(int count, Deadline deadline) {
        byte[] got = fromDriverWithin(count, deadline);
        if (got.length < count) {
            deadline.check("send " + count + " bytes to the console host (" + got.length + " arrived)");
        }
        return got;
    }

    /**
     * As {@link #awaitFromDriver}, but returns what arrived by the deadline, fewer than {@code count} bytes
     * included, for probes that judge a shortfall themselves.
     */
    default byte[] fromDriverWithin(int count, Deadline deadline) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int attempt = 0; got.size() < count && !deadline.expired(); attempt++) {
            got.writeBytes(drainFromDriver());
            if (got.size() < count) {
                Deadline.pause(attempt);
            }
        }
        got.writeBytes(drainFromDriver());
        return got.toByteArray();
    }

    /**
     * Resizes the console to {@code cols} by {@code rows} (each 0..65535). When the device offers
     * VIRTIO_CONSOLE_F_SIZE it shows the new size in its configuration space and, if the size changed, tells the
     * driver with a configuration change notification (§5.3.6).
     *
     * @return false when this console has no size to change: the device does not offer F_SIZE, or the target
     *         cannot resize it
     */
    boolean resize(int cols, int rows);

    /**
     * The host end of port {@code id} of a multiport console: its own two byte streams ({@code resize} always
     * false there, the size being port 0's alone, §5.3.6). {@code port(0)} is this console itself.
     *
     * @return empty when the port is not plugged on the host, or the target gives no access to it
     */
    default Optional<ConsoleHost> port(long id) {
        return id == 0 ? Optional.of(this) : Optional.empty();
    }

    /**
     * Plugs port {@code id} on the host: a device with MULTIPORT negotiated announces it to the driver with
     * DEVICE_ADD (at once, or when the driver says it is ready).
     *
     * @return false when the target cannot, or the port is already plugged or outside the device's max_nr_ports
     */
    default boolean addPort(long id) {
        return false;
    }

    /**
     * Unplugs port {@code id} on the host: a device that announced it takes it away with DEVICE_REMOVE.
     *
     * @return false when the target cannot, or the port is not plugged
     */
    default boolean removePort(long id) {
        return false;
    }
}

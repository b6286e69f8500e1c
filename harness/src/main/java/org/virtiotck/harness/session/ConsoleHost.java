package org.virtiotck.harness.session;

import java.io.ByteArrayOutputStream;
import org.virtiotck.driver.Deadline;

/**
 * The host end of a console device's port 0 (VIRTIO 1.2 §5.3): what a terminal or a character device on the
 * host would see. A probe writes what the driver should receive and reads what the driver sent, to check both
 * directions end to end. Any target may implement it: the in-process console directly, a vhost-user or QEMU
 * target over the socket or chardev behind the port. So it speaks only of bytes and sizes, never of queues.
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
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int attempt = 0; ; attempt++) {
            got.writeBytes(drainFromDriver());
            if (got.size() >= count) {
                return got.toByteArray();
            }
            deadline.check("send " + count + " bytes to the console host (" + got.size() + " arrived)");
            Deadline.pause(attempt);
        }
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
}

package org.virtiotck.driver.console;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;

/**
 * The driver's end of a multiport console's control queues (VIRTIO 1.2 §5.3.6.2) on a started driver whose
 * queues 2 and 3 are set up: keeps buffers posted on the control receiveq and hands back, one used buffer at a
 * time, what the device wrote there; sends messages on the control transmitq.
 */
public final class ConsoleControl {
    /** Room for a message and a port name of a reasonable length in each receive buffer. */
    public static final int BUFFER_BYTES = 256;
    private static final int POSTED = 8;

    private final VirtioDriver driver;
    private final Virtqueue rx;
    private final Virtqueue tx;
    private int inFlight;

    public ConsoleControl(VirtioDriver driver) {
        this.driver = driver;
        this.rx = driver.queue(ConsoleQueues.CONTROL_RECEIVEQ);
        this.tx = driver.queue(ConsoleQueues.CONTROL_TRANSMITQ);
    }

    /** Tops the control receiveq up to its posted buffers, and notifies if the device asks for it. */
    public void post() {
        Allocator alloc = driver.allocator();
        boolean added = false;
        for (; inFlight < POSTED; inFlight++) {
            rx.add(List.of(), List.of(alloc.writable(BUFFER_BYTES)));
            added = true;
        }
        if (added) {
            driver.kick(rx);
        }
    }

    /** Makes {@code message} available on the control transmitq and waits until the device used it. */
    public Completion send(ControlMessage message) {
        return driver.submit(tx, List.of(driver.allocator().readable(message.encode())), List.of());
    }

    /**
     * The bytes of the next used control receive buffer, as far as its used len reaches (capped at the buffer),
     * with the buffer replaced by a fresh one; empty when the device has used none since.
     */
    public Optional<byte[]> poll() {
        Optional<Completion> c = rx.poll();
        if (c.isEmpty()) {
            return Optional.empty();
        }
        inFlight--;
        Buffer b = c.get().chain().writable().get(0);
        int len = (int) Math.min(c.get().usedLen(), b.length());
        byte[] bytes = driver.allocator().memory().read(b.address(), len);
        post();
        return Optional.of(bytes);
    }
}

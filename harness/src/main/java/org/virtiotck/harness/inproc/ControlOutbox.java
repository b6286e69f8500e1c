package org.virtiotck.harness.inproc;

import java.util.ArrayDeque;

/**
 * Control messages waiting for buffers in a console's control receiveq (VIRTIO 1.2 §5.3.6.2), handed to
 * {@link SupplyFiller} one whole message per buffer: {@link #available()} is the size of the next message, and
 * {@link #take} hands it out and drops it. A message never continues in the next buffer (the format has no
 * continuation), so the part of one that does not fit a buffer is lost.
 */
final class ControlOutbox implements ByteSupply {
    private final ArrayDeque<byte[]> messages = new ArrayDeque<>();

    synchronized void add(byte[] message) {
        messages.addLast(message.clone());
    }

    synchronized void clear() {
        messages.clear();
    }

    @Override
    public synchronized long available() {
        return messages.isEmpty() ? 0 : messages.peekFirst().length;
    }

    @Override
    public synchronized byte[] take(int max) {
        byte[] next = messages.pollFirst();
        if (next == null) {
            return new byte[0];
        }
        return next.length <= max ? next : java.util.Arrays.copyOf(next, Math.max(max, 0));
    }
}

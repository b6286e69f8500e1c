package org.virtiotck.driver.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;

/**
 * A driver's side of a net device's control virtqueue (VIRTIO 1.2 §5.1.6.5): one command per buffer, class and
 * command in one readable descriptor, the data (if any) in another, and the ack in a writable byte of its own,
 * as Linux lays them out. Each command waits for its buffer to be used, so whatever the device promises to do
 * "before the buffer is used" is done when {@link #send} returns.
 */
public final class NetControl {
    private final VirtioDriver driver;
    private final Virtqueue queue;

    /** @param queue the control queue, already set up (see {@link NetQueues#controlq}) */
    public NetControl(VirtioDriver driver, Virtqueue queue) {
        this.driver = driver;
        this.queue = queue;
    }

    /** What the device made of one command: the ack byte it wrote and the used len it gave. */
    public record Ack(int value, long usedLen) {
        public boolean ok() {
            return value == NetCtrl.OK;
        }

        @Override
        public String toString() {
            String name = value == NetCtrl.OK ? "VIRTIO_NET_OK" : value == NetCtrl.ERR ? "VIRTIO_NET_ERR"
                    : "0x" + Integer.toHexString(value);
            return "ack " + name + " (used len " + usedLen + ")";
        }
    }

    public Virtqueue queue() {
        return queue;
    }

    /** Sends one command and waits until the device used its buffer. */
    public Ack send(int commandClass, int command, byte[] data) {
        Allocator alloc = driver.allocator();
        List<Buffer> readable = new ArrayList<>();
        readable.add(alloc.readable(new byte[] {(byte) commandClass, (byte) command}));
        if (data.length > 0) {
            readable.add(alloc.readable(data));
        }
        Buffer ack = alloc.writable(1);
        Completion c = driver.submit(queue, readable, List.of(ack));
        return new Ack(alloc.memory().u8(ack.address()), c.usedLen());
    }

    /** An RX class command (§5.1.6.5.1) turning its mode on or off. */
    public Ack rxMode(int command, boolean on) {
        return send(NetCtrl.CLASS_RX, command, new byte[] {(byte) (on ? 1 : 0)});
    }

    public Ack macTableSet(List<byte[]> unicast, List<byte[]> multicast) {
        return send(NetCtrl.CLASS_MAC, NetCtrl.MAC_TABLE_SET, NetCtrl.macTable(unicast, multicast));
    }

    public Ack macAddrSet(byte[] mac) {
        return send(NetCtrl.CLASS_MAC, NetCtrl.MAC_ADDR_SET, mac.clone());
    }

    public Ack announceAck() {
        return send(NetCtrl.CLASS_ANNOUNCE, NetCtrl.ANNOUNCE_ACK, new byte[0]);
    }

    public Ack vqPairsSet(int pairs) {
        return send(NetCtrl.CLASS_MQ, NetCtrl.MQ_VQ_PAIRS_SET,
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) pairs).array());
    }
}

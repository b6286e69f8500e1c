package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.net.NetHeader;

/**
 * Moves received frames into one receive queue's buffers (VIRTIO 1.2 §5.1.6.3, §5.1.6.4), in the order given,
 * each behind a header with flags 0 and GSO_NONE (no receive offload is offered, §5.1.6.4.1).
 *
 * <p>Without MRG_RXBUF a frame takes exactly one buffer and {@code num_buffers} is 1 (§5.1.6.3.2, §5.1.6.4.1).
 * When that buffer cannot hold header and frame the frame is dropped and counted, and the buffer stays for the
 * next frame. The driver only SHOULD post 1526-byte buffers (§5.1.6.3.1), so a small one is legal but useless for
 * this frame; truncating would hand the driver a damaged packet. QEMU drops the same way.
 *
 * <p>With MRG_RXBUF a frame spreads over as many buffers as it needs, every one but the last filled to its full
 * length, and {@code num_buffers} in the first says how many (§5.1.6.4.1); the others carry frame bytes only.
 * When the posted buffers are not enough yet, the frame waits, and so do the buffers already taken for it: they
 * are returned together once the rest arrive, so the driver sees all of them used together (§5.1.6.4.1).
 *
 * <p>One receiver serves one receive queue, whose frames {@link NetDevice} picks (filtering and steering them).
 * Buffers the device has taken from the ring but not yet used are held here in ring order, so that the next
 * frame uses them first and IN_ORDER holds. They belong to one live queue: a queue set up again starts empty.
 */
final class NetReceiver {
    private final FrameSizes sizes;
    private final NetDrops drops;
    private final boolean inOrderBatching;
    private final List<DescriptorChain> held = new ArrayList<>();
    private DeviceQueue queue;
    private InOrderBatch done;

    NetReceiver(FrameSizes sizes, NetDrops drops, boolean inOrderBatching) {
        this.sizes = sizes;
        this.drops = drops;
        this.inOrderBatching = inOrderBatching;
    }

    /** The live queue to fill from now on; buffers held from another one are forgotten. */
    void bind(DeviceQueue queue) {
        if (queue != this.queue) {
            flush();
            held.clear();
            this.queue = queue;
        }
    }

    /** Whether a queue is bound: the device has seen it since the last reset. */
    boolean bound() {
        return queue != null;
    }

    /**
     * Places {@code frame} in the bound queue's buffers, or drops it when its size is one the wire does not
     * carry; false, using no buffer, when too few are posted yet. Buffers used go back at {@link #flush}.
     */
    boolean take(byte[] frame, boolean mergeable) {
        if (!sizes.carries(frame.length)) {
            drops.add(NetDrops.Reason.RX_SIZE);
            return true;
        }
        if (done == null) {
            done = new InOrderBatch(queue, inOrderBatching);
        }
        return mergeable ? placeMerged(queue, frame, done) : placeInOne(queue, frame, done);
    }

    /** Returns the buffers completed since the last flush (as in-order batches where that applies). */
    void flush() {
        if (done != null) {
            done.flush();
            done = null;
        }
    }

    /** Forgets buffers taken but not used: after a reset they belong to no ring. */
    void reset() {
        held.clear();
        queue = null;
        done = null;
    }

    /** Places the frame in the next buffer, or drops it there; false when no buffer is posted. */
    private boolean placeInOne(DeviceQueue queue, byte[] frame, InOrderBatch done) {
        Optional<DescriptorChain> next = heldAt(queue, 0);
        if (next.isEmpty()) {
            return false;
        }
        DescriptorChain chain = next.get();
        int length = NetHeader.SIZE + frame.length;
        if (chain.writableLength() < length) {
            drops.add(NetDrops.Reason.RX_BUFFER_TOO_SMALL);
            return true;
        }
        write(chain, queue.memory(), NetHeader.received(1).bytes(), frame);
        held.remove(0);
        done.complete(chain, length);
        return true;
    }

    /** Spreads the frame over as many buffers as it needs; false, using none, while too few are posted. */
    private boolean placeMerged(DeviceQueue queue, byte[] frame, InOrderBatch done) {
        int length = NetHeader.SIZE + frame.length;
        int count = 0;
        for (long room = 0; room < length; count++) {
            Optional<DescriptorChain> next = heldAt(queue, count);
            if (next.isEmpty()) {
                return false;
            }
            DescriptorChain chain = next.get();
            if (chain.writableLength() < NetHeader.SIZE) {
                // §5.1.6.3.1: with MRG_RXBUF every receive buffer MUST hold at least a header.
                throw MalformedChainException.of("net receive buffer at head %d has %d writable bytes; with "
                        + "MRG_RXBUF each needs at least the %d of a virtio_net_hdr", chain.head(),
                        chain.writableLength(), NetHeader.SIZE);
            }
            room += chain.writableLength();
        }
        byte[] packet = concat(NetHeader.received(count).bytes(), frame);
        for (int offset = 0; offset < length; ) {
            DescriptorChain chain = held.remove(0);
            int part = (int) Math.min(chain.writableLength(), length - offset);
            write(chain, queue.memory(), Arrays.copyOfRange(packet, offset, offset + part));
            done.complete(chain, part);
            offset += part;
        }
        return true;
    }

    /**
     * The {@code index}-th buffer not yet used, taking more from the ring as needed; empty when the driver has
     * posted no more.
     *
     * @throws MalformedChainException for a buffer without a single writable byte: it can never receive
     *         anything, and QEMU treats it as a broken queue too
     */
    private Optional<DescriptorChain> heldAt(DeviceQueue queue, int index) {
        while (held.size() <= index) {
            Optional<DescriptorChain> popped = queue.pop();
            if (popped.isEmpty()) {
                return Optional.empty();
            }
            DescriptorChain chain = popped.get();
            if (chain.writableLength() == 0) {
                throw MalformedChainException.of("net receive buffer at head %d has no writable byte "
                        + "(%d readable)", chain.head(), chain.readableLength());
            }
            held.add(chain);
        }
        return Optional.of(held.get(index));
    }

    private static void write(DescriptorChain chain, GuestMemory memory, byte[]... parts) {
        ChainWriter writer = chain.writer(memory);
        for (byte[] part : parts) {
            if (!writer.write(part)) {
                throw new IllegalStateException("net device wrote past the writable part of " + chain);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.net.NetHeader;

/**
 * Takes one frame out of a transmit buffer (VIRTIO 1.2 §5.1.6.2): the readable bytes are the 12-byte
 * virtio_net_hdr followed by the frame, however the driver cut them into descriptors (§2.7.4): the header may
 * span several descriptors or share one with the frame. Writable bytes, if any, are ignored; nothing is written.
 *
 * <p>The header fields the device must not rely on are ignored: {@code hdr_len} (§5.1.6.2.2), {@code csum_start}
 * and {@code csum_offset} without NEEDS_CSUM (ditto), {@code num_buffers} (unused on transmit, §5.1.6.2), and
 * every flag bit but NEEDS_CSUM, since a device ignores flag bits it does not recognise (§5.1.6.2.2) and
 * DATA_VALID and RSC_INFO mean nothing on transmit.
 *
 * <p>NEEDS_CSUM and a {@code gso_type} other than NONE ask for checksum or segmentation offload, which this device
 * never offers, so a driver sending them broke §5.1.6.2.1. The device requirements prescribe no reaction. Sending
 * the frame anyway would put an unfinished checksum or an unsegmented super-frame on the wire, so the frame is
 * dropped and counted; the buffer is still returned, so the queue goes on. The same goes for a frame outside the
 * sizes the wire carries (see {@link FrameSizes}).
 */
final class NetTransmitter {
    private final FrameSizes sizes;
    private final NetDrops drops;

    NetTransmitter(FrameSizes sizes, NetDrops drops) {
        this.sizes = sizes;
        this.drops = drops;
    }

    /**
     * The frame to put on the wire, or empty when it is dropped.
     *
     * @throws MalformedChainException when the buffer is too short to hold even the header: every packet has one
     *         (§5.1.6), so the driver broke the queue's format, and the device asks for a reset as QEMU does
     */
    Optional<byte[]> frameOf(DescriptorChain chain, GuestMemory memory) {
        ChainReader reader = chain.reader(memory);
        byte[] raw = new byte[NetHeader.SIZE];
        if (!reader.read(raw)) {
            throw MalformedChainException.of("net transmit buffer at head %d has %d readable bytes, "
                    + "the virtio_net_hdr alone needs %d", chain.head(), chain.readableLength(), NetHeader.SIZE);
        }
        NetHeader header = NetHeader.parse(raw);
        if (header.gsoType() != NetHeader.GSO_NONE || (header.flags() & NetHeader.F_NEEDS_CSUM) != 0) {
            drops.add(NetDrops.Reason.TX_OFFLOAD);
            return Optional.empty();
        }
        long length = reader.remaining();
        if (!sizes.carries(length)) {
            drops.add(NetDrops.Reason.TX_SIZE);
            return Optional.empty();
        }
        byte[] frame = new byte[(int) length];
        reader.read(frame);
        return Optional.of(frame);
    }
}

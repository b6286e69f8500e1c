package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.probes.ChainLayout;

/**
 * How a probe lays out one transmit packet (virtio_net_hdr, then the frame) in descriptors. §2.7.4 leaves the
 * cut to the driver, so a device must send the same frame whichever it is.
 */
enum TxLayout {
    /** The header in one descriptor, the frame in the next: what Linux does without ANY_LAYOUT habits. */
    HEADER_THEN_FRAME(null),
    /** Header and frame in one descriptor. */
    ONE_DESCRIPTOR(ChainLayout.ONE_DESCRIPTOR),
    /** Three descriptors cut inside the header and inside the frame. */
    SPLIT(ChainLayout.SPLIT),
    /** The same three pieces in an indirect table; needs INDIRECT_DESC. */
    INDIRECT(ChainLayout.INDIRECT);

    private final ChainLayout cut;

    TxLayout(ChainLayout cut) {
        this.cut = cut;
    }

    static List<TxLayout> usableOn(Virtqueue q) {
        return q.features().indirect() ? List.of(values()) : List.of(HEADER_THEN_FRAME, ONE_DESCRIPTOR, SPLIT);
    }

    /** Makes header and frame available on {@code q} as one chain cut this way. */
    Chain add(Virtqueue q, Allocator alloc, byte[] header, byte[] frame) {
        if (cut == null) {
            return q.add(List.of(alloc.readable(header), alloc.readable(frame)), List.of(), false);
        }
        byte[] packet = new byte[header.length + frame.length];
        System.arraycopy(header, 0, packet, 0, header.length);
        System.arraycopy(frame, 0, packet, header.length, frame.length);
        List<Buffer> readable = new ArrayList<>(cut.readable(alloc, packet));
        return cut.add(q, readable, List.of());
    }
}

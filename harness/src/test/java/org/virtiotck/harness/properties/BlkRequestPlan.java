package org.virtiotck.harness.properties;

import java.util.List;

/**
 * One blk request as a property generates it: what it does, and how its bytes are cut into descriptors.
 * {@code cuts} split the data into buffers; the header and the status byte may share a descriptor with
 * their neighbours, since a device must not assume any particular layout (VIRTIO 1.2 §2.7.4.1). {@code indirect}
 * asks for an indirect table, where the ring negotiated them.
 */
record BlkRequestPlan(boolean write, int sector, int sectors, List<Integer> cuts, boolean splitHeader,
        boolean statusWithData, boolean indirect) {

    int dataBytes() {
        return sectors * 512;
    }

    /** Number of descriptors this plan needs. */
    int descriptors() {
        int data = cuts.size() + 1;
        int header = splitHeader ? 2 : 1;
        return header + data + (statusWithData && !write ? 0 : 1);
    }
}

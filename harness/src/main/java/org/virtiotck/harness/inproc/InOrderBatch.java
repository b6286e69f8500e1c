package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Completions a device holds back so that it can return them with a single used entry, as VIRTIO_F_IN_ORDER
 * allows (§2.7.9, §2.8.8). The driver takes every buffer of a batch but the last as used completely, so a
 * chain joins a batch only when its used length covers its whole writable part; a chain reported shorter
 * closes the batch as its last entry, whose length the used entry carries. When the queue did not negotiate
 * IN_ORDER, every completion is pushed at once, alone.
 */
final class InOrderBatch {
    private final DeviceQueue queue;
    private final boolean batching;
    private final List<DescriptorChain> chains = new ArrayList<>();
    private long lastUsedLen;

    /** @param wanted whether the device would like to batch; it only does when the queue negotiated IN_ORDER */
    InOrderBatch(DeviceQueue queue, boolean wanted) {
        this.queue = queue;
        this.batching = wanted && queue.features().inOrder();
    }

    /** Records that {@code chain} is done with {@code usedLen} bytes written; chains must come in pop order. */
    void complete(DescriptorChain chain, long usedLen) {
        if (!batching) {
            queue.push(chain, usedLen);
            return;
        }
        chains.add(chain);
        lastUsedLen = usedLen;
        if (usedLen != chain.writableLength()) {
            flush();
        }
    }

    /** Returns whatever is held back, as one used entry. */
    void flush() {
        if (chains.isEmpty()) {
            return;
        }
        queue.pushBatch(chains, lastUsedLen);
        chains.clear();
    }
}

package org.virtiotck.driver.net;

import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * Which queue index is which on a net device (VIRTIO 1.2 §5.1.2): receiveqK at 2(K-1), transmitqK at 2(K-1)+1,
 * and the controlq after the last pair. How many pairs there are depends on negotiation: N is
 * {@code max_virtqueue_pairs} once MQ or RSS is negotiated, 1 otherwise; so the control queue moves with them.
 */
public final class NetQueues {

    private NetQueues() {
    }

    /** N of §5.1.2: the queue pairs that exist with {@code negotiated}. */
    public static int pairs(FeatureSet negotiated, int maxVirtqueuePairs) {
        return negotiated.has(Feature.NET_MQ) || negotiated.has(Feature.NET_RSS) ? maxVirtqueuePairs : 1;
    }

    /** The index of receiveq{@code k} (1-based, as the spec counts). */
    public static int receiveq(int k) {
        return 2 * (k - 1);
    }

    /** The index of transmitq{@code k} (1-based). */
    public static int transmitq(int k) {
        return 2 * (k - 1) + 1;
    }

    /** The index of the controlq, which only exists with CTRL_VQ. */
    public static int controlq(FeatureSet negotiated, int maxVirtqueuePairs) {
        return 2 * pairs(negotiated, maxVirtqueuePairs);
    }
}

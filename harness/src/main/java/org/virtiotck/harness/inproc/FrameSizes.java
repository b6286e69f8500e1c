package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.net.NetConfig.ETH_HEADER;

/**
 * The frame lengths a net device carries in either direction: at least an ethernet header (anything shorter has
 * no addresses to deliver it by) and at most its {@code mtu} plus that header. §5.1.4.1 requires forwarding
 * transmitted frames up to that size and forbids passing larger received ones once MTU is negotiated; the device
 * applies the same bound when it is not negotiated too, since its link carries nothing larger either way.
 */
record FrameSizes(int mtu) {

    int max() {
        return mtu + ETH_HEADER;
    }

    boolean carries(long length) {
        return length >= ETH_HEADER && length <= max();
    }
}

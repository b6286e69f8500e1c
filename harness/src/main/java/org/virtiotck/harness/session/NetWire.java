package org.virtiotck.harness.session;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.virtiotck.driver.Deadline;

/**
 * The far side of a net device: the wire its frames go out on and come in from. A probe gets it with
 * {@code session.farSide(NetWire.class)}, which is empty where the target gives no access to the wire.
 *
 * <p>Frames are plain ethernet frames from the destination address on, without the virtio_net_hdr (that is
 * between driver and device) and without a frame check sequence. The interface says nothing about how a target
 * carries them (in the same JVM, a DPDK port, a QEMU {@code -netdev stream} socket), so frames the driver sends
 * may arrive some time later: wait for them with {@link #awaitSent}.
 *
 * <p>Frames arrive in the order the driver transmitted them. A device may drop a frame (link down, larger than
 * its MTU, an offload it did not negotiate); the wire then never sees it.
 */
public interface NetWire {

    /**
     * Sends one frame toward the driver. It waits at the device until the driver has posted receive buffers
     * for it; a target keeps a bounded number of such frames and drops the oldest beyond that.
     */
    void inject(byte[] frame);

    /**
     * Drops the injected frames still waiting at the device for receive buffers, as a cable pulled and put back
     * would, and says how many there were. A target that cannot reach them drops none.
     */
    int dropWaiting();

    /** The oldest transmitted frame not yet taken, if one has arrived; does not wait. */
    Optional<byte[]> pollSent();

    /** The oldest transmitted frame not yet taken, waiting for one until the deadline; empty when none came. */
    Optional<byte[]> awaitSent(Deadline deadline);

    /** Takes every transmitted frame that has arrived and was not yet taken, oldest first. */
    List<byte[]> drainSent();

    /** Whether {@link #setLinkUp} works on this target. */
    boolean canSetLink();

    /**
     * Takes the link down or brings it up. A device that offers VIRTIO_NET_F_STATUS shows it in the LINK_UP bit
     * of its {@code status} field and sends a configuration change notification (§5.1.4).
     *
     * @throws UnsupportedOperationException when {@link #canSetLink()} is false
     */
    void setLinkUp(boolean up);

    /** Whether {@link #announce} works on this target. */
    default boolean canAnnounce() {
        return false;
    }

    /**
     * Asks the device to have its driver announce itself on the network, as after a migration (§5.1.6.5.4): a
     * device that negotiated VIRTIO_NET_F_GUEST_ANNOUNCE sets VIRTIO_NET_S_ANNOUNCE in {@code status} and sends a
     * configuration change notification; otherwise nothing happens.
     *
     * @throws UnsupportedOperationException when {@link #canAnnounce()} is false
     */
    default void announce() {
        throw new UnsupportedOperationException("this target cannot make its net device ask for an announcement");
    }

    /** The MAC address the device was set up with, where the target knows it (to compare with config space). */
    Optional<byte[]> configuredMac();

    /** The MTU the device was set up with, where the target knows it. */
    OptionalInt configuredMtu();
}

package org.virtiotck.harness.inproc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.virtiotck.driver.Deadline;
import org.virtiotck.harness.session.NetWire;

/**
 * The wire behind the in-process net device, in the same JVM. It is the device's far side, not part of the
 * device: a device reset leaves the link state, the frames waiting to be received and the frames captured
 * from the driver as they were, as a reset NIC would find its cable.
 *
 * <p>Frames injected toward the driver wait here, at most {@link #BACKLOG_FRAMES} of them (the oldest goes
 * beyond that), until the device has receive buffers for them. Transmitted frames are captured in order, at
 * most {@link #CAPTURE_FRAMES} untaken ones. While the link is down the wire carries nothing: injected and
 * transmitted frames are dropped and counted, as QEMU does for a peer whose link is down.
 *
 * <p>The wire may be used from any thread. It calls the transport (to deliver a frame, to change the link state)
 * outside its own lock: the transport takes its register lock and then the device's, and the device takes this
 * lock while it works, so holding this one across the call could deadlock.
 */
final class InprocNetWire implements NetWire {
    static final int BACKLOG_FRAMES = 256;
    static final int CAPTURE_FRAMES = 4096;

    private final byte[] mac;
    private final int mtu;
    private final NetDrops drops;
    private final HostLink host;
    private final Runnable announcer;
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private final ArrayDeque<byte[]> captured = new ArrayDeque<>();
    private boolean linkUp = true;

    /**
     * @param host      the device's transport, told when a frame waits for delivery and when the link changes
     * @param announcer asks the device to have its driver announce itself
     */
    InprocNetWire(byte[] mac, int mtu, NetDrops drops, HostLink host, Runnable announcer) {
        this.mac = mac.clone();
        this.mtu = mtu;
        this.drops = drops;
        this.host = host;
        this.announcer = announcer;
    }

    @Override
    public void inject(byte[] frame) {
        synchronized (this) {
            if (!linkUp) {
                drops.add(NetDrops.Reason.RX_LINK_DOWN);
                return;
            }
            if (backlog.size() == BACKLOG_FRAMES) {
                backlog.removeFirst();
                drops.add(NetDrops.Reason.RX_BACKLOG_FULL);
            }
            backlog.addLast(frame.clone());
        }
        host.serviceQueue(NetDevice.RECEIVEQ);
    }

    @Override
    public synchronized Optional<byte[]> pollSent() {
        return Optional.ofNullable(captured.pollFirst());
    }

    @Override
    public Optional<byte[]> awaitSent(Deadline deadline) {
        for (int attempt = 0; ; attempt++) {
            Optional<byte[]> frame = pollSent();
            if (frame.isPresent() || deadline.expired()) {
                return frame;
            }
            Deadline.pause(attempt);
        }
    }

    @Override
    public synchronized List<byte[]> drainSent() {
        List<byte[]> all = new ArrayList<>(captured);
        captured.clear();
        return all;
    }

    @Override
    public boolean canSetLink() {
        return true;
    }

    @Override
    public void setLinkUp(boolean up) {
        synchronized (this) {
            if (linkUp == up) {
                return;     // nothing changed, so no new config generation either
            }
        }
        // The status field changes together with the generation, so a driver never reads one without the other.
        host.changeConfig(() -> {
            synchronized (this) {
                linkUp = up;
            }
        });
    }

    @Override
    public boolean canAnnounce() {
        return true;
    }

    @Override
    public void announce() {
        announcer.run();
    }

    @Override
    public Optional<byte[]> configuredMac() {
        return Optional.of(mac.clone());
    }

    @Override
    public OptionalInt configuredMtu() {
        return OptionalInt.of(mtu);
    }

    synchronized boolean linkUp() {
        return linkUp;
    }

    @Override
    public synchronized int dropWaiting() {
        int dropped = backlog.size();
        backlog.clear();
        return dropped;
    }

    /** Frames waiting to be received. */
    synchronized int waiting() {
        return backlog.size();
    }

    /** The oldest frame waiting to be received, left in place; null when none waits. */
    synchronized byte[] nextWaiting() {
        return backlog.peekFirst();
    }

    /**
     * Removes {@code frame}, which {@link #nextWaiting} returned, once the device has delivered or dropped it. An
     * injection on another thread may have pushed it out of a full backlog meanwhile; then nothing is removed.
     */
    synchronized void taken(byte[] frame) {
        if (backlog.peekFirst() == frame) {
            backlog.removeFirst();
        }
    }

    /** A frame the device transmitted: captured for the far side, unless the link is down. */
    synchronized void transmitted(byte[] frame) {
        if (!linkUp) {
            drops.add(NetDrops.Reason.TX_LINK_DOWN);
            return;
        }
        if (captured.size() == CAPTURE_FRAMES) {
            captured.removeFirst();
            drops.add(NetDrops.Reason.TX_CAPTURE_FULL);
        }
        captured.addLast(frame);
    }
}

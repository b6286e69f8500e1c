package org.virtiotck.harness.session;

import java.nio.file.Path;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.harness.target.TargetVariant;
import org.virtiotck.harness.vhostuser.MemfdGuestMemory;
import org.virtiotck.harness.vhostuser.VhostUserTransport;
import org.virtiotck.harness.vhostuser.protocol.VhostUserConnection;

/**
 * A session with a device behind a vhost-user socket: a fresh connection, guest memory in a memfd shared with
 * the back-end, an allocator and a driver over the vhost-user transport. The far side is known only when the
 * harness started the back-end itself. Closing disconnects and releases every descriptor and mapping.
 */
public final class VhostUserSession extends DeviceSession {
    static final long RAM_BASE = 0x4000_0000L;
    static final int RAM_SIZE = 4 << 20;
    static final int GUARD = 64;
    /** What QEMU offers guests by default for virtio-net (256); vhost-user has no message to ask the back-end. */
    static final int MAX_QUEUE_SIZE = 256;

    private final MemfdGuestMemory memfd;
    private final VhostUserTransport vhostUser;
    private final BlkImage image;
    private boolean closed;

    private VhostUserSession(TargetVariant variant, MemfdGuestMemory memory, VhostUserTransport transport, BlkImage image,
            RequestTrace trace) {
        super(variant, transport, memory, new Allocator(memory, RAM_BASE, RAM_SIZE, GUARD), trace);
        this.memfd = memory;
        this.vhostUser = transport;
        this.image = image;
    }

    /** A session with the back-end of {@code variant}; {@code image}, when not null, is its disk (for blk), read and written directly. */
    public static VhostUserSession open(TargetVariant variant, BlkImage image) {
        MemfdGuestMemory memory = MemfdGuestMemory.create(RAM_BASE, RAM_SIZE);
        VhostUserConnection connection = null;
        try {
            connection = VhostUserConnection.connect(Path.of(variant.endpoint()), variant.timeout());
            // The messages of the set-up belong to the session's trace too: a back-end may refuse one of them.
            RequestTrace trace = RequestTrace.bounded(RequestTrace.SESSION_CAPACITY);
            connection.trace(trace);
            VhostUserTransport transport = VhostUserTransport.open(connection, memory, variant.type().id(),
                    variant.type().baseQueues(), MAX_QUEUE_SIZE);
            return new VhostUserSession(variant, memory, transport, image, trace);
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            memory.close();
            throw e;
        }
    }




    /** The vhost-user transport itself, for probes of the protocol. */
    public VhostUserTransport vhostUser() {
        return vhostUser;
    }




    @Override
    public Optional<BlkImage> blkImage() {
        return deviceType() == DeviceType.BLK ? Optional.ofNullable(image) : Optional.empty();
    }

    /** No far side of other devices yet: the back-ends this harness starts are blk only. */
    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return Optional.empty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            vhostUser.close();
        } finally {
            memfd.close();
        }
    }
}

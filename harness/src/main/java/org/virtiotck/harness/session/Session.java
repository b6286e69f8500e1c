package org.virtiotck.harness.session;

import java.util.Optional;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.target.TargetVariant;

/**
 * What a probe gets: one device of one target variant, reached through a transport, with guest memory, an
 * allocator over it and a driver (not yet started), plus the device's far side where the target has one.
 * Closing it releases everything the session started.
 */
public interface Session extends AutoCloseable {

    TargetVariant target();

    DeviceType deviceType();

    Transport transport();

    GuestMemory memory();

    Allocator allocator();

    /** A driver over this session's transport and allocator; probes start it as they need. */
    VirtioDriver driver();

    /** The disk behind a blk device, for end-to-end checks; empty for other devices. */
    Optional<BlkImage> blkImage();

    /**
     * The device's far side of the given kind, where the target gives access to one: the wire behind a net
     * device, the host end of a console, the entropy source of an rng. Empty when this target has none.
     */
    <T> Optional<T> farSide(Class<T> kind);

    @Override
    void close();
}

package org.virtiotck.harness.session;

import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.target.TargetVariant;

/**
 * What every session holds alike, whatever reaches the device: the target variant, the transport, guest memory,
 * an allocator over it, and the driver, made with the variant's timeout and feature policy and the session's trace.
 */
public abstract class DeviceSession implements Session {
    private final TargetVariant variant;
    private final Transport transport;
    private final GuestMemory memory;
    private final Allocator allocator;
    private final VirtioDriver driver;

    protected DeviceSession(TargetVariant variant, Transport transport, GuestMemory memory, Allocator allocator,
            RequestTrace trace) {
        this.variant = variant;
        this.transport = transport;
        this.memory = memory;
        this.allocator = allocator;
        this.driver = new VirtioDriver(transport, allocator, variant.timeout(), variant.policy(), trace);
    }

    @Override
    public TargetVariant target() {
        return variant;
    }

    @Override
    public DeviceType deviceType() {
        return variant.type();
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public Allocator allocator() {
        return allocator;
    }

    @Override
    public VirtioDriver driver() {
        return driver;
    }
}

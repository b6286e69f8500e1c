package org.virtiotck.driver.ring.packed;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The three parts of a packed virtqueue (§2.8) as plain memory: writes any descriptor, flag, wrap bit or event
 * suppression field exactly as asked, with no validation, so that malformed-input probes and fuzzers can build
 * what a well-behaved driver never would. Slots are used as given (only guest memory bounds apply).
 */
public final class RawPackedRing {
    private final GuestMemory mem;
    private final int size;
    private final long ring;
    private final long driverEvent;
    private final long deviceEvent;

    public RawPackedRing(GuestMemory mem, int size, long ring, long driverEvent, long deviceEvent) {
        this.mem = mem;
        this.size = size;
        this.ring = ring;
        this.driverEvent = driverEvent;
        this.deviceEvent = deviceEvent;
    }

    /** Zeroed, aligned areas for a ring of {@code size} entries (§2.8.13: the ring starts zeroed). */
    public static RawPackedRing allocate(Allocator alloc, int size) {
        return new RawPackedRing(alloc.memory(), size, alloc.ring(descRingBytes(size), DESC_ALIGN),
                alloc.ring(EVENT_SIZE, EVENT_ALIGN), alloc.ring(EVENT_SIZE, EVENT_ALIGN));
    }

    public GuestMemory memory() {
        return mem;
    }

    public int size() {
        return size;
    }

    public long descriptorArea() {
        return ring;
    }

    public long driverArea() {
        return driverEvent;
    }

    public long deviceArea() {
        return deviceEvent;
    }

    public long slotAddress(int slot) {
        return ring + (long) DESC_SIZE * slot;
    }

    /** Writes every field with plain stores: the device may not see them in order. */
    public void descriptor(int slot, PackedDescriptor d) {
        d.write(mem, slotAddress(slot));
    }

    /** Writes addr, len and id, then the flags with a release store. */
    public void publish(int slot, PackedDescriptor d) {
        d.publish(mem, slotAddress(slot));
    }

    public PackedDescriptor descriptor(int slot) {
        return PackedDescriptor.read(mem, slotAddress(slot));
    }

    public int flags(int slot) {
        return mem.u16Acquire(slotAddress(slot) + DESC_FLAGS);
    }

    /** Driver event suppression: off_wrap, then flags with a release store. */
    public void driverEvent(int offWrap, int flags) {
        mem.putU16(driverEvent + EVENT_OFF_WRAP, offWrap);
        mem.putU16Release(driverEvent + EVENT_FLAGS, flags);
    }

    /** Driver event suppression as one value: off_wrap | flags << 16. */
    public int driverEvent() {
        return mem.u16(driverEvent + EVENT_OFF_WRAP) | mem.u16(driverEvent + EVENT_FLAGS) << 16;
    }

    public int deviceEventFlags() {
        return mem.u16Acquire(deviceEvent + EVENT_FLAGS);
    }

    public int deviceEventOffWrap() {
        return mem.u16(deviceEvent + EVENT_OFF_WRAP);
    }
}

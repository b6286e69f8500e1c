package org.virtiotck.driver;

/**
 * Something the device did that the spec forbids, seen by the driver model, with the raw values that show it.
 * The driver model records findings instead of crashing or looping, so a probe can report them.
 */
public record Finding(Kind kind, String detail) {

    /** Kinds of device misbehaviour, each with the VIRTIO 1.2 section whose requirement it breaks. */
    public enum Kind {
        WRITE_OUTSIDE_WRITABLE("2.7.5.1", "device wrote guest memory outside every device-writable buffer"),
        WRITE_TO_READABLE("2.7.5.1", "device wrote a device-readable buffer"),
        DESCRIPTOR_TABLE_WRITTEN("2.7.5.1", "device wrote the descriptor table"),
        AVAIL_RING_WRITTEN("2.7.6", "device wrote the available ring"),
        USED_ID_NOT_AVAILABLE("2.7.8", "used element names a descriptor id that was not made available"),
        USED_ID_COMPLETED_TWICE("2.7.8", "used element completes a buffer that was already used"),
        USED_LEN_TOO_LARGE("2.7.8.2", "used len is larger than the device-writable bytes of the chain"),
        USED_IDX_JUMP("2.7.8", "used idx moved past the buffers that were in flight"),
        DEVICE_FEATURES_CHANGED("2.2", "device features changed during negotiation"),
        PACKED_BAD_WRAP("2.8.1", "used descriptor's AVAIL and USED bits do not both equal the ring wrap counter"),
        PACKED_DESCRIPTOR_WRITTEN("2.8.15", "device changed a packed ring descriptor it did not own: one never "
                + "made available, one it skipped, or a used one after marking it used"),
        DRIVER_EVENT_WRITTEN("2.8.10", "device wrote the driver event suppression structure"),
        INDIRECT_TABLE_WRITTEN("2.7.5.1", "device wrote an indirect descriptor table, which is device-readable"),
        IN_ORDER_VIOLATED("2.7.9", "with VIRTIO_F_IN_ORDER the device used buffers in another order than they "
                + "were made available, or its used index does not cover the batch it reported"),
        USED_FLAGS_INVALID("2.7.10.2", "used ring flags hold a value the device must not set (only 0 or 1, and "
                + "0 with VIRTIO_F_EVENT_IDX)"),
        DEVICE_EVENT_INVALID("2.8.10", "device event suppression flags hold a reserved value, or the descriptor "
                + "mode without VIRTIO_F_EVENT_IDX");

        private final String section;
        private final String summary;

        Kind(String section, String summary) {
            this.section = section;
            this.summary = summary;
        }

        public String section() {
            return section;
        }

        public String summary() {
            return summary;
        }
    }

    @Override
    public String toString() {
        return kind + " (§" + kind.section + "): " + kind.summary + ": " + detail;
    }
}

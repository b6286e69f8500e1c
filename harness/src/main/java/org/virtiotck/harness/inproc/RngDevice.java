package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.EntropySource;

/**
 * A virtio entropy device (VIRTIO 1.2 §5.4): one requestq (0), no feature bits of its own, an empty
 * configuration space. Its far side is the {@link EntropySource}: {@code farSide(EntropySource.class)}, a seeded
 * pseudo-random stream, so that runs reproduce, whose flow a probe can stop and restart.
 *
 * <p>Each request's writable part is filled with the next bytes of the source and returned with used len equal
 * to the bytes written. §5.4.6.2 requires at least one byte per buffer and lets the device use less than all of
 * it. So when the source has fewer bytes than a buffer holds, the device writes what there is; when it has none,
 * the buffers stay in the ring until the source is supplied again, and are then served without a new
 * notification from the driver.
 *
 * <p>§5.4.6.1 forbids the driver readable buffers here, but no device requirement says what to do with them, so
 * the device leaves them unread and fills the writable part. A chain with no writable byte at all cannot take the
 * one byte §5.4.6.2 demands; no correct answer exists, so the device refuses it as a malformed chain (and sets
 * DEVICE_NEEDS_RESET) rather than return it empty.
 */
public final class RngDevice implements VirtioDevice {
    public static final int MAX_QUEUE_SIZE = 256;
    public static final int REQUESTQ = 0;
    /** The seed of {@link #RngDevice()}. */
    public static final long DEFAULT_SEED = 0x7674_636b_726e_6730L;   // "vtckrng0"

    private final HostLink host = new HostLink();
    private final SeededEntropy source;

    /** A device whose source is the stream of {@link #DEFAULT_SEED}. */
    public RngDevice() {
        this(DEFAULT_SEED);
    }

    /** A device whose source is the pseudo-random stream of {@code seed}, unlimited until a probe starves it. */
    public RngDevice(long seed) {
        this.source = new SeededEntropy(seed, () -> host.serviceQueue(REQUESTQ));
    }

    @Override
    public DeviceType type() {
        return DeviceType.RNG;
    }

    @Override
    public FeatureSet offeredFeatures() {
        return ReferenceFeatures.RING;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int maxQueueSize() {
        return MAX_QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        return new byte[0];
    }

    @Override
    public void featuresNegotiated(FeatureSet accepted) {
        // Only ring features exist, and the queues handle those.
    }

    @Override
    public void reset() {
        // Requests are only taken off the ring when they can be served, so none is held here; the source is the
        // host's and keeps its budget and position.
    }

    @Override
    public void attach(DeviceHost deviceHost) {
        host.attach(deviceHost);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return kind == EntropySource.class ? Optional.of(kind.cast(source)) : Optional.empty();
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        if (queueIndex == REQUESTQ) {
            SupplyFiller.fill(queue, source, RngDevice::requireWritable);
        }
    }

    private static void requireWritable(DescriptorChain chain) {
        if (chain.writableLength() == 0) {
            throw MalformedChainException.of("rng request at head %d has no device-writable byte to fill "
                    + "(%d readable bytes)", chain.head(), chain.readableLength());
        }
    }
}

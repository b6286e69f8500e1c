package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * A device that forwards everything to a reference device it wraps (net, console and rng are final classes): the
 * base of the deliberately faulty devices that show a probe or the fuzzer can fail, each overriding the part it
 * gets wrong.
 */
public class ForwardingDevice implements VirtioDevice {
    protected final VirtioDevice real;

    public ForwardingDevice(VirtioDevice real) {
        this.real = real;
    }

    /** {@code real}, with every configuration change it announces dropped: the change itself still applies. */
    public static VirtioDevice withoutConfigNotifications(VirtioDevice real) {
        return new ForwardingDevice(real) {
            @Override
            public void attach(DeviceHost host) {
                super.attach(new DeviceHost() {
                    @Override
                    public void serviceQueue(int queueIndex) {
                        host.serviceQueue(queueIndex);
                    }

                    @Override
                    public void configChanged() {
                    }
                });
            }
        };
    }

    @Override
    public DeviceType type() {
        return real.type();
    }

    @Override
    public FeatureSet offeredFeatures() {
        return real.offeredFeatures();
    }

    @Override
    public int queueCount() {
        return real.queueCount();
    }

    @Override
    public int maxQueueSize() {
        return real.maxQueueSize();
    }

    @Override
    public byte[] config() {
        return real.config();
    }

    @Override
    public void writeConfig(int offset, int width, long value) {
        real.writeConfig(offset, width, value);
    }

    @Override
    public void featuresNegotiated(FeatureSet accepted) {
        real.featuresNegotiated(accepted);
    }

    @Override
    public void reset() {
        real.reset();
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        real.process(queueIndex, queue);
    }

    @Override
    public void attach(DeviceHost host) {
        real.attach(host);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return real.farSide(kind);
    }
}

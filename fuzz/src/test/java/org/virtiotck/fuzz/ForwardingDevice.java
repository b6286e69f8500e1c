package org.virtiotck.fuzz;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.inproc.DeviceHost;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A device that passes everything to a reference device it wraps (the net, console and rng ones are final); a
 * test device overrides what it does differently.
 */
class ForwardingDevice implements VirtioDevice {
    protected final VirtioDevice real;

    ForwardingDevice(VirtioDevice real) {
        this.real = real;
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        real.process(queueIndex, queue);
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
    public void attach(DeviceHost host) {
        real.attach(host);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return real.farSide(kind);
    }
}

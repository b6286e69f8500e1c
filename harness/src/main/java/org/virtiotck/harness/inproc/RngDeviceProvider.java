package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/** The reference entropy device, its source seeded with {@link RngDevice#DEFAULT_SEED} so that runs reproduce. */
public final class RngDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "rng";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType type() {
        return DeviceType.RNG;
    }

    @Override
    public boolean reference() {
        return true;
    }

    @Override
    public VirtioDevice create() {
        return new RngDevice();
    }
}

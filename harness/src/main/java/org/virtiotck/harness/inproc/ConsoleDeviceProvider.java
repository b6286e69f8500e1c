package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/** The reference console: port 0 only, 80x25, offering F_SIZE and F_EMERG_WRITE. */
public final class ConsoleDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "console";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType type() {
        return DeviceType.CONSOLE;
    }

    @Override
    public boolean reference() {
        return true;
    }

    @Override
    public VirtioDevice create() {
        return new ConsoleDevice();
    }
}

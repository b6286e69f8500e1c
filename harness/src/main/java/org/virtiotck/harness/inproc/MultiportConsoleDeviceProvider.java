package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/**
 * The reference multiport console: the reference console offering VIRTIO_CONSOLE_F_MULTIPORT as well, with
 * {@value ConsoleDevice#MULTIPORT_PORTS} ports. The port-0-only console stays a reference of its own, since only
 * a device without MULTIPORT is judged on which queues exist without it (§5.3.2).
 */
public final class MultiportConsoleDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "console-multiport";

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
        return ConsoleDevice.multiport();
    }
}

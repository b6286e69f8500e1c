package org.virtiotck.harness.inproc;

import java.util.function.Supplier;
import org.virtiotck.driver.feature.DeviceType;

/** The reference console: port 0 only, 80x25, offering F_SIZE and F_EMERG_WRITE. */
public class ConsoleDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "console";

    private final String name;
    private final Supplier<ConsoleDevice> device;

    public ConsoleDeviceProvider() {
        this(NAME, ConsoleDevice::new);
    }

    /** Another reference console under its own name. */
    protected ConsoleDeviceProvider(String name, Supplier<ConsoleDevice> device) {
        this.name = name;
        this.device = device;
    }

    @Override
    public String name() {
        return name;
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
        return device.get();
    }
}

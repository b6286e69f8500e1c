package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import java.util.Locale;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.ConsoleDevice;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.RngDevice;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Base of the deliberately faulty console and rng devices: the reference device of that type, wrapped with one
 * deviation planted, named "faulty-console-&lt;fault&gt;" or "faulty-rng-&lt;fault&gt;" in target strings. Never a
 * reference device, so {@code inproc} alone skips them.
 */
abstract class FaultyStreamDevice implements InprocDeviceProvider {
    private final DeviceType type;
    private final String fault;

    FaultyStreamDevice(DeviceType type, String fault) {
        if (type != DeviceType.CONSOLE && type != DeviceType.RNG) {
            throw new IllegalArgumentException("no stream device of type " + type);
        }
        this.type = type;
        this.fault = fault;
    }

    /** The reference device with the deviation planted, usually a {@link ForwardingDevice} around it. */
    abstract VirtioDevice faulty(VirtioDevice reference);

    @Override
    public String name() {
        return "faulty-" + type.name().toLowerCase(Locale.ROOT) + "-" + fault;
    }

    @Override
    public DeviceType type() {
        return type;
    }

    @Override
    public boolean reference() {
        return false;
    }

    @Override
    public VirtioDevice create() {
        return faulty(type == DeviceType.CONSOLE ? new ConsoleDevice() : new RngDevice());
    }
}

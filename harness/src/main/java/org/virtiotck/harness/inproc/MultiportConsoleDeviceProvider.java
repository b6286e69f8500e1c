package org.virtiotck.harness.inproc;

/**
 * The reference multiport console: the reference console offering VIRTIO_CONSOLE_F_MULTIPORT as well, with
 * {@value ConsoleDevice#MULTIPORT_PORTS} ports. The port-0-only console stays a reference of its own, since only
 * a device without MULTIPORT is judged on which queues exist without it (§5.3.2).
 */
public final class MultiportConsoleDeviceProvider extends ConsoleDeviceProvider {
    public static final String NAME = "console-multiport";

    public MultiportConsoleDeviceProvider() {
        super(NAME, ConsoleDevice::multiport);
    }
}

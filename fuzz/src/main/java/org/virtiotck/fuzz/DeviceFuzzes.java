package org.virtiotck.fuzz;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;

/** The device types the fuzzer has requests for. */
public final class DeviceFuzzes {
    private static final List<DeviceFuzz> ALL = List.of(new BlkFuzz(), new NetFuzz(), new ConsoleFuzz(),
            new RngFuzz());

    private DeviceFuzzes() {
    }

    public static Optional<DeviceFuzz> of(DeviceType type) {
        return ALL.stream().filter(f -> f.type() == type).findFirst();
    }
}

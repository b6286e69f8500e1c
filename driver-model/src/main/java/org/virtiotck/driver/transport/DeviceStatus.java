package org.virtiotck.driver.transport;

import java.util.ArrayList;
import java.util.List;

/** Bits of the device status field (VIRTIO 1.2 §2.1). */
public final class DeviceStatus {
    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int DEVICE_NEEDS_RESET = 64;
    public static final int FAILED = 128;

    private DeviceStatus() {
    }

    /** "0x0b (ACKNOWLEDGE|DRIVER|FEATURES_OK)": the raw value and its names, for messages. */
    public static String describe(int status) {
        List<String> names = new ArrayList<>();
        String[] labels = {"ACKNOWLEDGE", "DRIVER", "DRIVER_OK", "FEATURES_OK", "bit4", "bit5", "DEVICE_NEEDS_RESET", "FAILED"};
        for (int bit = 0; bit < 8; bit++) {
            if ((status & (1 << bit)) != 0) {
                names.add(labels[bit]);
            }
        }
        if ((status & ~0xff) != 0) {
            names.add("high bits 0x" + Integer.toHexString(status & ~0xff));
        }
        return String.format("0x%02x (%s)", status, names.isEmpty() ? "none" : String.join("|", names));
    }
}

package org.virtiotck.fuzz;

import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.InprocDeviceProvider;

/** A deliberately faulty in-process blk device of the fuzzer's power tests, under its own target name. */
abstract class PowerTestBlk implements InprocDeviceProvider {
    private final String name;

    PowerTestBlk(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public boolean reference() {
        return false;
    }
}

package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.DeviceType;

/**
 * The reference network device: MAC 02:56:54:43:4b:00 ("VTCK" after a locally administered, unicast first
 * byte, so it cannot clash with a vendor's address) and an MTU of 1500.
 */
public final class NetDeviceProvider implements InprocDeviceProvider {
    public static final String NAME = "net";
    public static final byte[] MAC = {0x02, 0x56, 0x54, 0x43, 0x4b, 0x00};
    public static final int MTU = NetDevice.DEFAULT_MTU;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType type() {
        return DeviceType.NET;
    }

    @Override
    public boolean reference() {
        return true;
    }

    @Override
    public VirtioDevice create() {
        return new NetDevice(MAC, MTU);
    }
}

package org.virtiotck.probes;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;

/**
 * A change of the device configuration space that the target makes from the device's far side, for probes about
 * configuration change notifications and config_generation (§2.5, §4.1.4.3, §4.1.5.4) whatever the device type: a
 * net device's link goes down or up (the status field, with STATUS), a console is resized (cols and rows, with
 * F_SIZE). Each {@link #make} changes the configuration again. Where the target has no such change, or the feature
 * it needs is not negotiated, the probe ends in SKIP.
 */
public final class ConfigChange implements AutoCloseable {
    /** Two console sizes no console starts with, so each resize is a real change. */
    private static final int[][] SIZES = {{133, 41}, {97, 62}};

    private final Feature feature;
    private final Optional<NetWire> wire;
    private final Optional<ConsoleHost> console;
    private int made;

    private ConfigChange(Feature feature, Optional<NetWire> wire, Optional<ConsoleHost> console) {
        this.feature = feature;
        this.wire = wire;
        this.console = console;
    }

    /** The change this target can make to the session's device, or SKIP when it can make none. */
    public static ConfigChange of(Session session) {
        DeviceType type = session.deviceType();
        if (type == DeviceType.NET) {
            Optional<NetWire> wire = session.farSide(NetWire.class);
            Assumptions.assumeTrue(wire.isPresent() && wire.get().canSetLink(),
                    "the target cannot change the link of this net device, the configuration change probes use");
            return new ConfigChange(Feature.NET_STATUS, wire, Optional.empty());
        }
        if (type == DeviceType.CONSOLE) {
            Optional<ConsoleHost> host = session.farSide(ConsoleHost.class);
            Assumptions.assumeTrue(host.isPresent(), "the target gives no access to the console's host end to resize it");
            return new ConfigChange(Feature.CONSOLE_SIZE, Optional.empty(), host);
        }
        Assumptions.abort("the target has no way to change the configuration of a " + type + " device");
        throw new AssertionError("unreachable");
    }

    /** The driver model's features plus the one that makes the change visible in the configuration space. */
    public FeatureSet features() {
        return Devices.DRIVER_SUPPORTS.with(feature);
    }

    /** Ends the probe in SKIP when the driver did not get the feature the change needs. */
    public void requireNegotiated(VirtioDriver driver) {
        Assumptions.assumeTrue(driver.negotiated().has(feature), "the device does not offer " + feature
                + ", without which the configuration change the target can make is not part of the configuration");
    }

    /** Changes the configuration once more; what changed, for messages. */
    public String make() {
        int n = made++;
        if (wire.isPresent()) {
            boolean up = n % 2 == 1;
            wire.get().setLinkUp(up);
            return "the net link went " + (up ? "up" : "down");
        }
        int[] size = SIZES[n % 2];
        Assumptions.assumeTrue(console.orElseThrow().resize(size[0], size[1]), "the target cannot resize this console");
        return "the console was resized to " + size[0] + "x" + size[1];
    }

    /** Leaves a net link up, as the next probe expects to find it. */
    @Override
    public void close() {
        wire.ifPresent(w -> w.setLinkUp(true));
    }
}

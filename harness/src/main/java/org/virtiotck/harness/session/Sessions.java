package org.virtiotck.harness.session;

import java.nio.file.Path;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.InprocDevices;
import org.virtiotck.harness.qemu.QemuSession;
import org.virtiotck.harness.target.TargetException;
import org.virtiotck.harness.target.TargetVariant;

/** Opens sessions for target variants, dispatching on the target kind. */
public final class Sessions {
    private Sessions() {
    }

    public static Session open(TargetVariant variant) {
        if (variant.kind().equals("inproc")) {
            return InprocSession.open(variant);
        }
        if (variant.kind().equals(TargetVariant.VHOST_USER)) {
            return VhostUserSession.open(variant, variant.image().isEmpty() ? null : new FileBlkImage(Path.of(variant.image())));
        }
        if (variant.qemu()) {
            return QemuSession.open(variant);
        }
        throw new TargetException("bad target: no sessions for kind '" + variant.kind() + "'");
    }

    /** The device type a variant will present, known before any session opens. */
    public static DeviceType deviceType(TargetVariant variant) {
        if (variant.kind().equals(TargetVariant.VHOST_USER) || variant.qemu()) {
            return variant.type();
        }
        return InprocDevices.byName(variant.device())
                .orElseThrow(() -> new TargetException("bad target: no in-process device '" + variant.device() + "'"))
                .create().type();
    }
}

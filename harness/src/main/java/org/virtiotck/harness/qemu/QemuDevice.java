package org.virtiotck.harness.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;

/**
 * The device under test on QEMU's command line: which model, on which transport, with which ring layout.
 * virtio-mmio devices are pinned to slot 0 (QEMU otherwise fills slots from the top); virtio-pci devices sit at
 * 00:02.0, modern only (a transitional device would have an I/O BAR and another device id).
 */
record QemuDevice(DeviceType type, String transport, boolean packed) {
    /** Register window of virtio-mmio slot 0 on the virt machine. */
    static final long MMIO_SLOT0 = 0x0a00_0000L;
    static final int PCI_SLOT = 2;
    static final String SERIAL = "virtio-tck-qemu";

    QemuDevice {
        if (type != DeviceType.BLK && type != DeviceType.RNG && type != DeviceType.NET && type != DeviceType.CONSOLE) {
            throw new IllegalArgumentException("no QEMU device model set up for " + type.lowerName() + " yet");
        }
        if (!transport.equals("mmio") && !transport.equals("pci")) {
            throw new IllegalArgumentException("transport " + transport);
        }
    }

    boolean pci() {
        return transport.equals("pci");
    }

    /** The raw disk image behind a blk device, in the session directory. */
    static Path disk(Path dir) {
        return dir.resolve("disk.img");
    }

    /** The socket QEMU connects its net backend to (the harness listens). */
    static Path netSocket(Path dir) {
        return dir.resolve("net.sock");
    }

    /** The socket QEMU listens on for the console's port 0. */
    static Path consoleSocket(Path dir) {
        return dir.resolve("console.sock");
    }

    /**
     * The arguments that add this device, its far side in {@code dir}; {@code aio} is a blk drive's I/O engine, or
     * null for QEMU's default.
     */
    List<String> arguments(Path dir, String aio) {
        List<String> args = new ArrayList<>();
        String model = switch (type) {
            case BLK -> "virtio-blk";
            case RNG -> "virtio-rng";
            case NET -> "virtio-net";
            case CONSOLE -> "virtio-serial";
            default -> throw new IllegalStateException();
        };
        StringBuilder device = new StringBuilder(model).append(pci() ? "-pci" : "-device");
        if (type == DeviceType.BLK) {
            args.add("-drive");
            args.add("if=none,id=d0,format=raw,file=" + disk(dir) + (aio == null ? "" : ",aio=" + aio));
            device.append(",drive=d0,serial=").append(SERIAL);
        } else if (type == DeviceType.NET) {
            args.add("-netdev");
            args.add("stream,id=n0,server=off,addr.type=unix,addr.path=" + netSocket(dir));
            device.append(",netdev=n0,mac=").append(QemuNetWire.MAC_TEXT);
        } else if (type == DeviceType.CONSOLE) {
            args.add("-chardev");
            args.add("socket,id=c0,path=" + consoleSocket(dir) + ",server=on,wait=off");
        }
        // No option ROM: the stub runs no firmware, and an image without ipxe-qemu has none to load.
        device.append(pci() ? ",disable-legacy=on,romfile=,addr=0x" + Integer.toHexString(PCI_SLOT) : ",bus=virtio-mmio-bus.0");
        if (packed) {
            device.append(",packed=on");
        }
        args.add("-device");
        args.add(device.toString());
        if (type == DeviceType.CONSOLE) {
            args.add("-device");
            args.add("virtconsole,chardev=c0");
        }
        return args;
    }
}

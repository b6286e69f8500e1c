package org.virtiotck.harness.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.nio.channels.ServerSocketChannel;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.feature.DeviceType;

/**
 * One QEMU virt machine running the guest stub with one device under test: a fresh RAM file in /dev/shm with
 * the stub written into it, a private directory for the disk image and QEMU's log, the process, and the mailbox
 * to reach the stub once it said it is ready. {@link #close()} kills QEMU by PID and removes the RAM file and
 * the directory; a failed start does the same before it throws, so nothing is left behind either way.
 */
final class QemuMachine implements AutoCloseable {
    static final long RAM_SIZE = 32 << 20;
    static final long DISK_BYTES = 8 << 20;
    static final Path SHM = Path.of("/dev/shm");
    /** QEMU starts in about 0.1 s; a loaded machine gets far more, and the session timeout may be shorter. */
    private static final Duration MIN_START = Duration.ofSeconds(20);
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Cleared once QEMU refused io_uring here (some sandboxes forbid it), so later sessions do not try again. */
    private static volatile boolean ioUring = true;

    private final Path dir;
    private final GuestRam ram;
    private final QemuProcess process;
    private final Mailbox mailbox;
    private final Path disk;
    private final AutoCloseable farSide;

    private QemuMachine(Path dir, GuestRam ram, QemuProcess process, Mailbox mailbox, Path disk, AutoCloseable farSide) {
        this.dir = dir;
        this.ram = ram;
        this.process = process;
        this.mailbox = mailbox;
        this.disk = disk;
        this.farSide = farSide;
    }

    /**
     * Starts QEMU with {@code device} through {@code launcher} and waits for the stub; {@code timeout} bounds every
     * mailbox round trip.
     */
    static QemuMachine start(QemuLauncher launcher, QemuDevice device, Duration timeout) {
        if (ioUring) {
            try {
                return start(launcher, device, timeout, "io_uring");
            } catch (DeviceLostException e) {
                if (!e.getMessage().contains("io_uring") && !e.getMessage().contains("aio")) {
                    throw e;
                }
                ioUring = false;
            }
        }
        return start(launcher, device, timeout, null);
    }

    /** With {@code aio} the blk drive's I/O engine, or null for QEMU's default. */
    static QemuMachine start(QemuLauncher launcher, QemuDevice device, Duration timeout, String aio) {
        String name = "virtio-tck-qemu-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path dir = null;
        GuestRam ram = null;
        QemuProcess process = null;
        AutoCloseable farSide = null;
        try {
            dir = Files.createTempDirectory(name + "-");
            Path disk = null;
            if (device.type() == DeviceType.BLK) {
                disk = QemuDevice.disk(dir);
                try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                    f.setLength(DISK_BYTES);
                }
            }
            ServerSocketChannel netListener = null;
            if (device.type() == DeviceType.NET) {
                netListener = QemuNetWire.listen(QemuDevice.netSocket(dir));
                farSide = netListener;
            }
            ram = GuestRam.create(SHM.resolve(name), RAM_SIZE);
            ram.put(GuestStub.LOAD_ADDRESS, GuestStub.image());
            process = launcher.start(arguments(ram, device.arguments(dir, aio)), ram.file(), dir);
            Mailbox mailbox = new Mailbox(ram, process, timeout);
            Duration start = timeout.compareTo(MIN_START) > 0 ? timeout : MIN_START;
            mailbox.awaitReady(start);
            if (netListener != null) {
                farSide = QemuNetWire.accept(netListener, Deadline.after(start), process);
            } else if (device.type() == DeviceType.CONSOLE) {
                farSide = QemuConsoleHost.connect(QemuDevice.consoleSocket(dir));
            }
            return new QemuMachine(dir, ram, process, mailbox, disk, farSide);
        } catch (IOException e) {
            release(farSide, process, ram, dir);
            throw new UncheckedIOException("cannot set up QEMU's files", e);
        } catch (RuntimeException | Error e) {
            release(farSide, process, ram, dir);
            throw e;
        }
    }

    private static List<String> arguments(GuestRam ram, List<String> device) {
        long mib = RAM_SIZE >> 20;
        List<String> c = new ArrayList<>(List.of(
                "-M", "virt,memory-backend=ram", "-cpu", "cortex-a57", "-accel", "tcg", "-m", mib + "M",
                "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
                "-object", "memory-backend-file,id=ram,size=" + mib + "M,mem-path=" + ram.file() + ",share=on",
                "-device", "loader,addr=0x" + Long.toHexString(GuestStub.LOAD_ADDRESS) + ",cpu-num=0",
                "-global", "virtio-mmio.force-legacy=false"));
        c.addAll(device);
        return c;
    }

    QemuProcess process() {
        return process;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    Path disk() {
        return disk;
    }

    GuestRam ram() {
        return ram;
    }

    /** The net wire or console host end, when the device has one. */
    Object farSide() {
        return farSide;
    }

    Path ramFile() {
        return ram.file();
    }

    Path directory() {
        return dir;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        release(farSide, process, ram, dir);
    }

    /** Closes the far side's socket, kills QEMU (it maps the RAM file and holds the disk), then unmaps and removes every file. */
    private static void release(AutoCloseable farSide, QemuProcess process, GuestRam ram, Path dir) {
        try {
            if (farSide != null) {
                farSide.close();
            }
        } catch (Exception e) {
            // A socket that fails to close is gone with the directory below; killing QEMU matters more.
        }
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            try {
                if (ram != null) {
                    ram.close();
                }
            } finally {
                if (dir != null) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}

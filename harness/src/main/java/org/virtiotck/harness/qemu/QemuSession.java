package org.virtiotck.harness.qemu;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.driver.transport.pci.PciConfigSpace;
import org.virtiotck.driver.transport.pci.PciLayoutException;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.FileBlkImage;
import org.virtiotck.harness.session.DeviceSession;
import org.virtiotck.harness.target.TargetVariant;

/**
 * A session with one of QEMU's own virtio device models, in a QEMU started for this session alone and driven
 * through the guest stub: virtio-mmio registers or PCI config space and BARs by mailbox round trips, rings and
 * buffers directly in the shared RAM file. The far side of blk is its raw image file, of net a stream socket,
 * of console a chardev socket. Closing kills QEMU and
 * removes every file the session made.
 */
public final class QemuSession extends DeviceSession {
    /** Where probes' rings and buffers go: well above the DTB and the stub. */
    static final long HEAP = 0x4100_0000L;
    static final int ARENA = 4 << 20;
    static final int GUARD = 64;
    /** Where the harness, playing firmware, places BARs: the virt machine's 32-bit PCI MMIO window. */
    static final long PCI_MMIO_BASE = 0x1000_0000L;
    /** Guest-physical address of the register window of a virtio-mmio device under test. */
    public static final long MMIO_WINDOW = QemuDevice.MMIO_SLOT0;

    private final QemuMachine machine;
    private boolean closed;

    private QemuSession(TargetVariant variant, QemuMachine machine, GuestMemory memory, Transport transport) {
        super(variant, transport, memory, new Allocator(memory, HEAP, ARENA, GUARD),
                RequestTrace.bounded(RequestTrace.SESSION_CAPACITY));
        this.machine = machine;
    }

    public static QemuSession open(TargetVariant variant) {
        QemuDevice device = new QemuDevice(variant.type(), variant.transport(), variant.ring().equals("packed"));
        QemuLauncher launcher = variant.kind().equals(TargetVariant.QEMU_CONTAINER)
                ? ContainerQemu.launcher(variant.endpoint()) : LocalQemu.launcher();
        QemuMachine machine = QemuMachine.start(launcher, device, variant.timeout());
        try {
            GuestMemory memory = new QemuGuestMemory(machine.ram(), machine.process(), HEAP);
            Transport transport = device.pci() ? pci(machine.mailbox()) : new MmioTransport(
                    new MailboxBus(machine.mailbox()).window(QemuDevice.MMIO_SLOT0));
            return new QemuSession(variant, machine, memory, transport);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** Firmware's part: the function at 00:02.0 must be there, gets its BARs, and is probed (decode and Bus Master on). */
    private static Transport pci(Mailbox mailbox) {
        PciConfigSpace config = new EcamConfigSpace(mailbox, 0, QemuDevice.PCI_SLOT, 0);
        int vendor = config.read(PciConfigSpace.VENDOR_ID, 2);
        if (vendor != PciTransport.VIRTIO_VENDOR_ID) {
            throw new PciLayoutException(String.format("no virtio function at 00:%02x.0 (vendor id reads 0x%04x)",
                    QemuDevice.PCI_SLOT, vendor));
        }
        PciTransport.assignBars(config, PCI_MMIO_BASE);
        return PciTransport.probe(config, new MailboxBus(mailbox));
    }

    /** The bus the stub performs accesses on, at absolute guest-physical addresses (for self-tests and probes of the stub itself). */
    public MailboxBus physicalBus() {
        return new MailboxBus(machine.mailbox());
    }

    public long qemuPid() {
        return machine.pid();
    }

    public java.nio.file.Path ramFile() {
        return machine.ramFile();
    }

    /**
     * Where the guest stub's mailbox sits in {@link #ramFile()}: for another client that maps the file too (the
     * benchmarks' C peer), which must leave the stub's last sequence number as it found it.
     */
    public long mailboxFileOffset() {
        return GuestStub.MAILBOX - GuestRam.BASE;
    }

    public java.nio.file.Path directory() {
        return machine.directory();
    }







    @Override
    public Optional<BlkImage> blkImage() {
        return deviceType() == DeviceType.BLK ? Optional.of(new FileBlkImage(machine.disk())) : Optional.empty();
    }

    /**
     * The net wire ({@code -netdev stream}) or the console's host end ({@code -chardev socket}); none for rng, whose
     * default backend reads /dev/urandom where the harness cannot watch it.
     */
    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        Object side = machine.farSide();
        return kind.isInstance(side) ? Optional.of(kind.cast(side)) : Optional.empty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        machine.close();
    }
}

package org.virtiotck.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.qemu.QemuSession;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/**
 * A 4 KiB virtio-blk read end to end through the qemu target: header and status written, the chain made
 * available by the driver model's split {@link Virtqueue}, the notification through the mailbox, the wait for
 * the used buffer, used len and status checked. QEMU's blk on virtio-mmio, {@code aio=io_uring}, a 16-entry
 * queue, VERSION_1 only, sectors cycling over the first 4 MiB of the image (in the host's page cache). The
 * buffers are allocated once, as the C peer's are. Before every measurement iteration the C peer resets the
 * device, sets up its own queue and does the same reads; the driver is then started again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(1)
public class QemuBlkBenchmark {
    static final int BYTES = 4096;
    static final int QUEUE_SIZE = 16;
    /** Requests per C peer run (plus a tenth to warm up). */
    static final int PEER_OPS = 5_000;
    /** The C peer's rings and buffers: 1 MiB below the end of RAM, above the driver's arena. */
    private static final long PEER_AREA_FROM_END = 1 << 20;

    @Param({"os", "apart", "vcpu-alone"})
    public String placement;

    private QemuSession session;
    private GuestMemory memory;
    private VirtioDriver driver;
    private Virtqueue queue;
    private Buffer header;
    private Buffer status;
    private List<Buffer> readable;
    private List<Buffer> writable;
    private long requests;

    @Setup(Level.Trial)
    public void open() {
        session = (QemuSession) Sessions.open(TargetSpec.parse("qemu:blk?transport=mmio&ring=split").variants().get(0));
        CpuPlacement.apply(placement, session.qemuPid());
        memory = session.memory();
        BlkImage image = session.blkImage().orElseThrow();
        byte[] pattern = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            pattern[i] = (byte) (i * 7 + 1);
        }
        image.write(0, pattern);
        startDriver();
        read4k();
        Buffer data = writable.get(0);
        if (!java.util.Arrays.equals(memory.read(data.address(), BYTES), pattern)) {
            throw new IllegalStateException("the first 4 KiB read did not return the image's bytes");
        }
    }

    /** Negotiates, sets up queue 0 and allocates header, data and status (the allocator starts afresh). */
    private void startDriver() {
        driver = session.driver();
        driver.start(FeatureSet.NONE, 1, QUEUE_SIZE);
        queue = driver.queue(0);
        Allocator alloc = driver.allocator();
        header = alloc.readable(new byte[16]);
        Buffer data = alloc.writable(BYTES);
        status = alloc.writable(1);
        readable = List.of(header);
        writable = List.of(data, status);
    }

    @Setup(Level.Iteration)
    public void peer(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && MailboxPeer.configured()) {
            long scratch = memory.base() + memory.size() - PEER_AREA_FROM_END;
            MailboxPeer.runAndRecord(session, "blk-read-4k", placement, "blk", "0x" + Long.toHexString(QemuSession.MMIO_WINDOW),
                    "0x" + Long.toHexString(scratch), Integer.toString(PEER_OPS));
            startDriver();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        session.close();
    }

    @Benchmark
    public long read4k() {
        long sector = 8 * (requests++ % 1024);
        memory.putU32(header.address(), BlkRequest.T_IN);
        memory.putU64(header.address() + 8, sector);
        memory.putU8(status.address(), 0xff);
        Completion c = driver.submit(queue, readable, writable);
        int s = memory.u8(status.address());
        if (c.usedLen() != BYTES + 1 || s != BlkRequest.S_OK) {
            throw new IllegalStateException("4 KiB read of sector " + sector + ": used len " + c.usedLen() + ", status " + s);
        }
        return c.usedLen();
    }
}

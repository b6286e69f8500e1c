package org.virtiotck.bench;

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
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.qemu.QemuSession;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/**
 * One mailbox round trip from Java: a 32-bit read of the virtio-mmio MagicValue register of QEMU's blk device
 * through {@link org.virtiotck.harness.qemu.MailboxBus}, each value checked. Before every measurement iteration
 * the C peer does the same reads against the same QEMU (see {@link QemuBench}), so each Java iteration has a C
 * figure taken a moment before it under the same load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(1)
public class QemuMailboxBenchmark {
    static final long MAGIC = 0x74726976L;
    /** Round trips per C peer run (plus a tenth to warm up). */
    static final int PEER_OPS = 100_000;

    @Param({"os", "apart", "vcpu-alone"})
    public String placement;

    private QemuSession session;
    private MmioBus bus;

    @Setup(Level.Trial)
    public void open() {
        session = (QemuSession) Sessions.open(TargetSpec.parse("qemu:blk?transport=mmio&ring=split").variants().get(0));
        CpuPlacement.apply(placement, session.qemuPid());
        bus = session.physicalBus();
    }

    @Setup(Level.Iteration)
    public void peer(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && MailboxPeer.configured()) {
            MailboxPeer.runAndRecord(session, "read32", placement, "read32", "0x" + Long.toHexString(QemuSession.MMIO_WINDOW),
                    "0x" + Long.toHexString(MAGIC), Integer.toString(PEER_OPS));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        session.close();
    }

    @Benchmark
    public long read32() {
        long v = bus.read(QemuSession.MMIO_WINDOW, 4);
        if (v != MAGIC) {
            throw new IllegalStateException("MagicValue read 0x" + Long.toHexString(v));
        }
        return v;
    }
}

package org.virtiotck.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.PackedDeviceQueue;
import org.virtiotck.harness.inproc.SplitDeviceQueue;

/**
 * One request round trip through a virtqueue with both sides in Java: the driver adds a chain, the device side
 * pops and validates it and pushes a completion, the driver polls and validates the completion. This is the
 * per-request cost the driver model adds to every probe and fuzz case. With {@code indirect} the chain goes
 * through an indirect table (also for one descriptor, to measure the table itself).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBenchmark {
    @Param({"split", "packed"})
    public String layout;

    /** Descriptors per chain: one readable header, then writable buffers. */
    @Param({"1", "3"})
    public int descriptors;

    /** Whether the chain goes through an indirect table (INDIRECT_DESC negotiated on both sides). */
    @Param({"false", "true"})
    public boolean indirect;

    private Virtqueue driver;
    private DeviceQueue device;
    private List<Buffer> readable;
    private List<Buffer> writable;

    @Setup
    public void setUp() {
        GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 20);
        Allocator alloc = new Allocator(memory, memory.base(), memory.size(), 16);
        RingFeatures features = new RingFeatures(indirect, false, false);
        if (layout.equals("packed")) {
            driver = PackedVirtqueue.allocate(alloc, 0, 256, features);
            device = new PackedDeviceQueue(memory, 256, driver.descriptorArea(), driver.driverArea(),
                    driver.deviceArea(), features);
        } else {
            driver = SplitVirtqueue.allocate(alloc, 0, 256, features);
            device = new SplitDeviceQueue(memory, 256, driver.descriptorArea(), driver.driverArea(),
                    driver.deviceArea(), features);
        }
        readable = List.of(alloc.readable(new byte[16]));
        writable = new ArrayList<>();
        for (int i = 1; i < descriptors; i++) {
            writable.add(alloc.writable(512));
        }
    }

    @Benchmark
    public long addCompletePoll() {
        driver.add(readable, writable, indirect);
        DescriptorChain chain = device.pop().orElseThrow();
        device.push(chain, chain.writableLength());
        return driver.poll().orElseThrow().usedLen();
    }
}

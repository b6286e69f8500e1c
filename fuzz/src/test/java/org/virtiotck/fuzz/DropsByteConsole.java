package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.ConsoleDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty console for the fuzzer's power test: the reference device, except that on transmit chains
 * of two or more buffers it skips the first byte. Only such a chain shows it, so the shrunk case is one two-byte
 * transmit cut in two.
 */
public final class DropsByteConsole implements InprocDeviceProvider {
    static final String TARGET = "inproc:fuzz-console-drops-byte?transport=mmio&ring=split";

    @Override
    public String name() {
        return "fuzz-console-drops-byte";
    }

    @Override
    public DeviceType type() {
        return DeviceType.CONSOLE;
    }

    @Override
    public boolean reference() {
        return false;
    }

    @Override
    public VirtioDevice create() {
        return new QueueFaultDevice(new ConsoleDevice(), ConsoleDevice.TRANSMITQ, q -> new ForwardingQueue(q) {
            @Override
            public Optional<DescriptorChain> pop() {
                return real.pop().map(c -> c.segments().size() < 2 ? c : withoutFirstByte(c));
            }
        });
    }

    /** The chain with its first segment one byte shorter at the front (an empty segment where it had one byte). */
    private static DescriptorChain withoutFirstByte(DescriptorChain c) {
        List<Segment> segments = new ArrayList<>(c.segments());
        Segment first = segments.get(0);
        segments.set(0, new Segment(first.addr() + 1, first.len() - 1, first.writable()));
        return new DescriptorChain(c.head(), segments, c.descriptorCount());
    }
}

package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceHost;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/** Entropy devices that each break one rule of §5.4 or of used len (§2.7.8.2), for FaultyConsoleRngDevicesTest. */
public final class FaultyRngDevices {
    private FaultyRngDevices() {
    }

    /** An rng whose requestq is wrapped before the reference device sees it. */
    private abstract static class QueueFault extends FaultyStreamDevice {
        QueueFault(String fault) {
            super(DeviceType.RNG, fault);
        }

        abstract DeviceQueue wrap(DeviceQueue queue);

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, wrap(queue));
                }
            };
        }
    }

    /** A requestq whose used lens are changed by {@code adjust}, the bytes written left as they are. */
    private abstract static class LenFault extends QueueFault {
        LenFault(String fault) {
            super(fault);
        }

        abstract long adjust(long usedLen);

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new UsedLenQueue(queue, this::adjust);
        }
    }

    /** Claims one byte more than it wrote. */
    public static final class UsedLenPlusOne extends LenFault {
        public UsedLenPlusOne() {
            super("used-len-plus-one");
        }

        @Override
        long adjust(long usedLen) {
            return usedLen + 1;
        }
    }

    /** Claims one byte less than it wrote, when it wrote more than one. */
    public static final class UsedLenShort extends LenFault {
        public UsedLenShort() {
            super("used-len-short");
        }

        @Override
        long adjust(long usedLen) {
            return usedLen > 1 ? usedLen - 1 : usedLen;
        }
    }

    /** Writes the random bytes but returns every buffer with used len 0. */
    public static final class ReportsZero extends LenFault {
        public ReportsZero() {
            super("reports-zero");
        }

        @Override
        long adjust(long usedLen) {
            return 0;
        }
    }

    /** Takes its bytes from the source but hands out zeros in their place. */
    public static final class ZeroBytes extends QueueFault {
        public ZeroBytes() {
            super("zero-bytes");
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    chain.writer(memory()).write(new byte[(int) usedLen]);
                    super.push(chain, usedLen);
                }
            };
        }
    }

    /** With fewer source bytes than a buffer holds, fills the rest with zeros and claims the whole buffer. */
    public static final class PadsWithZeros extends QueueFault {
        public PadsWithZeros() {
            super("pads-with-zeros");
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    long all = chain.writableLength();
                    chain.writer(memory()).writeAt(usedLen, new byte[(int) (all - usedLen)]);
                    super.push(chain, all);
                }
            };
        }
    }

    /** When the source is dry, returns the waiting requests at once, empty. */
    public static final class EmptyWhenStarved extends FaultyStreamDevice {
        public EmptyWhenStarved() {
            super(DeviceType.RNG, "empty-when-starved");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, queue);
                    // The reference leaves in the ring only what it had no entropy for.
                    for (Optional<DescriptorChain> c = queue.pop(); c.isPresent(); c = queue.pop()) {
                        queue.push(c.get(), 0);
                    }
                }
            };
        }
    }

    /** Serves requests only when the driver notifies: entropy that arrives later wakes nothing. */
    public static final class ForgetsWaiting extends FaultyStreamDevice {
        public ForgetsWaiting() {
            super(DeviceType.RNG, "forgets-waiting");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void attach(DeviceHost host) {
                    super.attach(new DeviceHost() {
                        @Override
                        public void serviceQueue(int queueIndex) {
                        }

                        @Override
                        public void configChanged() {
                            host.configChanged();
                        }
                    });
                }
            };
        }
    }
}

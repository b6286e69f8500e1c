package org.virtiotck.probes.faulty;

import static org.virtiotck.harness.inproc.ConsoleDevice.RECEIVEQ;
import static org.virtiotck.harness.inproc.ConsoleDevice.TRANSMITQ;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceHost;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/** Consoles that each break one rule of §5.3 or of used len (§2.7.8.2), for FaultyConsoleRngDevicesTest. */
public final class FaultyConsoleDevices {
    private FaultyConsoleDevices() {
    }

    /** A console whose queue {@code index} is wrapped before the reference device sees it. */
    private abstract static class QueueFault extends FaultyStreamDevice {
        private final int index;

        QueueFault(String fault, int index) {
            super(DeviceType.CONSOLE, fault);
            this.index = index;
        }

        abstract DeviceQueue wrap(DeviceQueue queue);

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, queueIndex == index ? wrap(queue) : queue);
                }
            };
        }
    }

    /** Sends the transmit chains of each notification to the host last first. */
    public static final class ReordersTransmit extends QueueFault {
        public ReordersTransmit() {
            super("reorders-tx", TRANSMITQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return PrependingQueue.reversed(queue);
        }
    }

    /** Returns transmit buffers with their whole length as used len, as legacy devices did (§5.3.6.3's note). */
    public static final class TransmitUsedLen extends QueueFault {
        public TransmitUsedLen() {
            super("tx-used-len", TRANSMITQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    super.push(chain, chain.readableLength());
                }
            };
        }
    }

    /** Claims one byte more than it put in each receive buffer. */
    public static final class ReceiveUsedLenPlusOne extends QueueFault {
        public ReceiveUsedLenPlusOne() {
            super("rx-used-len-plus-one", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new UsedLenQueue(queue, len -> len + 1);
        }
    }

    /** Claims one byte less than it put in each receive buffer that got more than one. */
    public static final class ReceiveUsedLenShort extends QueueFault {
        public ReceiveUsedLenShort() {
            super("rx-used-len-short", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new UsedLenQueue(queue, len -> len > 1 ? len - 1 : len);
        }
    }

    /** Flips a bit in the first byte of every receive buffer it fills. */
    public static final class CorruptsReceive extends QueueFault {
        public CorruptsReceive() {
            super("corrupts-rx", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    Optional<Segment> first = chain.segments().stream().filter(Segment::writable).findFirst();
                    if (usedLen > 0 && first.isPresent()) {
                        long at = first.get().addr();
                        memory().write(at, new byte[] {(byte) (memory().read(at, 1)[0] ^ 0x20)});
                    }
                    super.push(chain, usedLen);
                }
            };
        }
    }

    /** cols and rows keep the size the console started with, whatever the host end does. */
    public static final class StaleSize extends FaultyStreamDevice {
        public StaleSize() {
            super(DeviceType.CONSOLE, "stale-size");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            byte[] initial = reference.config();
            return new ForwardingDevice(reference) {
                @Override
                public byte[] config() {
                    return initial.clone();
                }
            };
        }
    }

    /** Applies a resize to cols and rows but announces nothing: no new generation, no configuration change interrupt. */
    public static final class SilentResize extends FaultyStreamDevice {
        public SilentResize() {
            super(DeviceType.CONSOLE, "silent-resize");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void attach(DeviceHost host) {
                    super.attach(new DeviceHost() {
                        @Override
                        public void serviceQueue(int queueIndex) {
                            host.serviceQueue(queueIndex);
                        }

                        @Override
                        public void configChanged() {
                        }
                    });
                }
            };
        }
    }

    /** Has the two control queues of a multiport console though it does not offer MULTIPORT. */
    public static final class ControlQueues extends FaultyStreamDevice {
        public ControlQueues() {
            super(DeviceType.CONSOLE, "control-queues");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public int queueCount() {
                    return 4;
                }
            };
        }
    }

    /** Ignores emerg_wr until the driver has negotiated features, i.e. while the device is unconfigured. */
    public static final class EmergOnlyConfigured extends FaultyStreamDevice {
        public EmergOnlyConfigured() {
            super(DeviceType.CONSOLE, "emerg-only-configured");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                private volatile boolean configured;

                @Override
                public void featuresNegotiated(FeatureSet accepted) {
                    configured = true;
                    super.featuresNegotiated(accepted);
                }

                @Override
                public void reset() {
                    configured = false;
                    super.reset();
                }

                @Override
                public void writeConfig(int offset, int width, long value) {
                    if (configured) {
                        super.writeConfig(offset, width, value);
                    }
                }
            };
        }
    }

    /** Offers F_EMERG_WRITE but drops every byte written to emerg_wr. */
    public static final class IgnoresEmerg extends FaultyStreamDevice {
        public IgnoresEmerg() {
            super(DeviceType.CONSOLE, "ignores-emerg");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void writeConfig(int offset, int width, long value) {
                }
            };
        }
    }
}

package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.harness.inproc.ConsoleDevice.RECEIVEQ;
import static org.virtiotck.harness.inproc.ConsoleDevice.TRANSMITQ;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.inproc.ConsoleDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
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
            return ForwardingDevice.withoutConfigNotifications(reference);
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

    /** The reference multiport console with one fault, named "faulty-console-multiport-&lt;fault&gt;". */
    private abstract static class MultiportFault extends FaultyStreamDevice {
        MultiportFault(String fault) {
            super(DeviceType.CONSOLE, "multiport-" + fault);
        }

        @Override
        public VirtioDevice create() {
            return faulty(ConsoleDevice.multiport());
        }
    }

    /** Offers MULTIPORT with max_nr_ports 4 but has only port 0's queues and the control queues. */
    public static final class NoPortQueues extends MultiportFault {
        public NoPortQueues() {
            super("no-port-queues");
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public int queueCount() {
                    return ConsoleQueues.CONTROL_TRANSMITQ + 1;
                }
            };
        }
    }

    /** A multiport console whose control messages to the driver go through {@code change}. */
    private abstract static class ControlFault extends MultiportFault {
        ControlFault(String fault) {
            super(fault);
        }

        /** A fresh rewrite per device, so that state it keeps belongs to one device. */
        abstract UnaryOperator<ControlMessage> change();

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            UnaryOperator<ControlMessage> change = change();
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, queueIndex == ConsoleQueues.CONTROL_RECEIVEQ
                            ? new ControlMessageRewrite(queue, change) : queue);
                }
            };
        }
    }

    /** Every DEVICE_ADD after the first names the first's port again. */
    public static final class AddsPortTwice extends ControlFault {
        public AddsPortTwice() {
            super("adds-port-twice");
        }

        @Override
        UnaryOperator<ControlMessage> change() {
            long[] first = {-1};
            return m -> {
                if (m.event() != ControlMessage.DEVICE_ADD) {
                    return m;
                }
                if (first[0] < 0) {
                    first[0] = m.id();
                    return m;
                }
                return new ControlMessage(first[0], m.event(), m.value());
            };
        }
    }

    /** DEVICE_ADD for port 1 names port max_nr_ports instead. */
    public static final class AddsPortAtMaxNrPorts extends ControlFault {
        public AddsPortAtMaxNrPorts() {
            super("adds-max-nr-ports");
        }

        @Override
        UnaryOperator<ControlMessage> change() {
            return m -> m.event() == ControlMessage.DEVICE_ADD && m.id() == 1
                    ? new ControlMessage(ConsoleDevice.MULTIPORT_PORTS, m.event(), m.value()) : m;
        }
    }

    /** Every DEVICE_REMOVE names the last port, max_nr_ports - 1, which the device only adds when the host plugs it. */
    public static final class RemovesUnaddedPort extends ControlFault {
        public RemovesUnaddedPort() {
            super("removes-unadded-port");
        }

        @Override
        UnaryOperator<ControlMessage> change() {
            return m -> m.event() == ControlMessage.DEVICE_REMOVE
                    ? new ControlMessage(ConsoleDevice.MULTIPORT_PORTS - 1, m.event(), m.value()) : m;
        }
    }

    /** A multiport console that serves queue {@code a} as if it were queue {@code b} and the other way round. */
    private abstract static class SwapsQueues extends MultiportFault {
        private final int a;
        private final int b;

        SwapsQueues(String fault, int a, int b) {
            super(fault);
            this.a = a;
            this.b = b;
        }

        @Override
        VirtioDevice faulty(VirtioDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex == a ? b : queueIndex == b ? a : queueIndex, queue);
                }
            };
        }
    }

    /** Port 1's input lands in port 0's receiveq and port 0's in port 1's. */
    public static final class SwapsPortInput extends SwapsQueues {
        public SwapsPortInput() {
            super("swaps-port-input", ConsoleQueues.receiveq(0), ConsoleQueues.receiveq(1));
        }
    }

    /** What the driver transmits on port 1 reaches port 0's output and the other way round. */
    public static final class SwapsPortOutput extends SwapsQueues {
        public SwapsPortOutput() {
            super("swaps-port-output", ConsoleQueues.transmitq(0), ConsoleQueues.transmitq(1));
        }
    }
}

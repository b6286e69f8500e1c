package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetCtrl;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.NetCommand;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetRxFilter;
import org.virtiotck.harness.inproc.VirtioDevice;
import org.virtiotck.probes.faulty.FaultyNet.ConfigFault;
import org.virtiotck.probes.faulty.FaultyNet.ControlFault;

/**
 * Net devices that each break one rule of the control queue (§5.1.6.5) or of the config fields after
 * {@code mtu} (§5.1.4.1), for FaultyNetDevicesTest.
 */
public final class FaultyNetControlDevices {
    private FaultyNetControlDevices() {
    }

    private static boolean is(NetCommand c, int commandClass, int command) {
        return c.commandClass() == commandClass && c.command() == command;
    }

    /** Acknowledges one command with VIRTIO_NET_OK without carrying it out. */
    private abstract static class IgnoresCommand extends ControlFault {
        private final int commandClass;
        private final int command;

        IgnoresCommand(String fault, int commandClass, int command) {
            super(fault);
            this.commandClass = commandClass;
            this.command = command;
        }

        @Override
        int answer(NetDevice reference, NetCommand c) {
            return is(c, commandClass, command) ? NetCtrl.OK : reference.execute(c);
        }
    }

    // ---- RX modes ----

    public static final class IgnoresPromisc extends IgnoresCommand {
        public IgnoresPromisc() {
            super("rx-ignores-promisc", NetCtrl.CLASS_RX, NetCtrl.RX_PROMISC);
        }
    }

    public static final class IgnoresAllMulti extends IgnoresCommand {
        public IgnoresAllMulti() {
            super("rx-ignores-allmulti", NetCtrl.CLASS_RX, NetCtrl.RX_ALLMULTI);
        }
    }

    public static final class IgnoresAllUni extends IgnoresCommand {
        public IgnoresAllUni() {
            super("rx-ignores-alluni", NetCtrl.CLASS_RX, NetCtrl.RX_ALLUNI);
        }
    }

    public static final class IgnoresNoMulti extends IgnoresCommand {
        public IgnoresNoMulti() {
            super("rx-ignores-nomulti", NetCtrl.CLASS_RX, NetCtrl.RX_NOMULTI);
        }
    }

    public static final class IgnoresNoUni extends IgnoresCommand {
        public IgnoresNoUni() {
            super("rx-ignores-nouni", NetCtrl.CLASS_RX, NetCtrl.RX_NOUNI);
        }
    }

    public static final class IgnoresNoBcast extends IgnoresCommand {
        public IgnoresNoBcast() {
            super("rx-ignores-nobcast", NetCtrl.CLASS_RX, NetCtrl.RX_NOBCAST);
        }
    }

    /** Carries out every command, then lets {@link #adjust} change the reference's filter as the fault has it. */
    private abstract static class BendsFilter extends ControlFault {
        BendsFilter(String fault) {
            super(fault);
        }

        abstract void adjust(NetRxFilter filter, NetCommand c);

        @Override
        int answer(NetDevice reference, NetCommand c) {
            int ack = reference.execute(c);
            if (ack == NetCtrl.OK && c.commandClass() == NetCtrl.CLASS_RX) {
                adjust(reference.filter(), c);
            }
            return ack;
        }
    }

    private static boolean on(NetCommand c, int command) {
        return c.command() == command && c.data()[0] == 1;
    }

    /** Takes PROMISC for ALLUNI: every unicast frame passes, multicast ones still need ALLMULTI or the table. */
    public static final class PromiscUnicastOnly extends BendsFilter {
        public PromiscUnicastOnly() {
            super("rx-promisc-unicast-only");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            if (c.command() == NetCtrl.RX_PROMISC) {
                filter.setMode(NetCtrl.RX_PROMISC, false);
                filter.setMode(NetCtrl.RX_ALLUNI, c.data()[0] == 1);
            }
        }
    }

    /** Leaves PROMISC off while a suppression mode is on. */
    public static final class PromiscYields extends BendsFilter {
        public PromiscYields() {
            super("rx-promisc-yields");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            if (filter.mode(NetCtrl.RX_NOMULTI) || filter.mode(NetCtrl.RX_NOUNI) || filter.mode(NetCtrl.RX_NOBCAST)) {
                filter.setMode(NetCtrl.RX_PROMISC, false);
            }
        }
    }

    /** Takes broadcast for multicast: NOMULTI drops broadcast frames too. */
    public static final class NoMultiDropsBroadcast extends BendsFilter {
        public NoMultiDropsBroadcast() {
            super("rx-nomulti-drops-broadcast");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            if (c.command() == NetCtrl.RX_NOMULTI) {
                filter.setMode(NetCtrl.RX_NOBCAST, on(c, NetCtrl.RX_NOMULTI));
            }
        }
    }

    /** Ignores NOBCAST while ALLMULTI is on. */
    public static final class NoBcastYields extends BendsFilter {
        public NoBcastYields() {
            super("rx-nobcast-yields-to-allmulti");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            if (filter.mode(NetCtrl.RX_ALLMULTI)) {
                filter.setMode(NetCtrl.RX_NOBCAST, false);
            }
        }
    }

    /** Ignores NOUNI while ALLUNI is on. */
    public static final class NoUniYields extends BendsFilter {
        public NoUniYields() {
            super("rx-nouni-yields-to-alluni");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            if (filter.mode(NetCtrl.RX_ALLUNI)) {
                filter.setMode(NetCtrl.RX_NOUNI, false);
            }
        }
    }

    /** Passes every unicast frame whatever the modes say, as if ALLUNI could not be turned off. */
    public static final class PassesUnmatched extends BendsFilter {
        public PassesUnmatched() {
            super("rx-passes-unmatched");
        }

        @Override
        void adjust(NetRxFilter filter, NetCommand c) {
            filter.setMode(NetCtrl.RX_ALLUNI, true);
        }
    }

    // ---- MAC table and address ----

    public static final class IgnoresMacTable extends IgnoresCommand {
        public IgnoresMacTable() {
            super("mac-table-ignored", NetCtrl.CLASS_MAC, NetCtrl.MAC_TABLE_SET);
        }
    }

    /** Puts the last MAC table back after every negotiation with CTRL_RX, so a reset does not empty it. */
    public static final class MacTableSurvivesReset extends ControlFault {
        private volatile NetCommand lastTable;

        public MacTableSurvivesReset() {
            super("mac-table-survives-reset");
        }

        @Override
        int answer(NetDevice reference, NetCommand c) {
            if (is(c, NetCtrl.CLASS_MAC, NetCtrl.MAC_TABLE_SET)) {
                lastTable = c;
            }
            return reference.execute(c);
        }

        @Override
        void negotiated(NetDevice reference, FeatureSet accepted) {
            NetCommand table = lastTable;
            if (table != null && accepted.has(Feature.NET_CTRL_RX)) {
                reference.execute(table);
            }
        }
    }

    /** Shows the old mac after MAC_ADDR_SET until the next notification: the update lands after the buffer is used. */
    public static final class MacSetLate extends ControlFault {
        private volatile byte[] stale;

        public MacSetLate() {
            super("mac-set-late");
        }

        @Override
        void beforeProcess() {
            stale = null;
        }

        @Override
        int answer(NetDevice reference, NetCommand c) {
            byte[] old = Arrays.copyOf(reference.config(), NetConfig.MAC_BYTES);
            int ack = reference.execute(c);
            if (is(c, NetCtrl.CLASS_MAC, NetCtrl.MAC_ADDR_SET)) {
                stale = old;
            }
            return ack;
        }

        @Override
        byte[] patchConfig(byte[] config) {
            byte[] old = stale;
            if (old != null) {
                System.arraycopy(old, 0, config, NetConfig.MAC, NetConfig.MAC_BYTES);
            }
            return config;
        }
    }

    // ---- announce ----

    public static final class AnnounceNotCleared extends IgnoresCommand {
        public AnnounceNotCleared() {
            super("announce-not-cleared", NetCtrl.CLASS_ANNOUNCE, NetCtrl.ANNOUNCE_ACK);
        }
    }

    // ---- multiqueue ----

    /** Acknowledges VQ_PAIRS_SET but keeps every packet on receiveq1. */
    public static final class IgnoresPairsSet extends IgnoresCommand {
        public IgnoresPairsSet() {
            super("mq-ignores-pairs-set", NetCtrl.CLASS_MQ, NetCtrl.MQ_VQ_PAIRS_SET);
        }
    }

    /** Uses every queue pair whatever VQ_PAIRS_SET asked for. */
    public static final class BeyondPairs extends ControlFault {
        public BeyondPairs() {
            super("mq-beyond-pairs");
        }

        @Override
        int answer(NetDevice reference, NetCommand c) {
            int ack = reference.execute(c);
            if (ack == NetCtrl.OK && is(c, NetCtrl.CLASS_MQ, NetCtrl.MQ_VQ_PAIRS_SET)) {
                reference.execute(pairsSet(reference.maxPairs()));
            }
            return ack;
        }
    }

    /** Steers over every queue pair from the start, without waiting for VQ_PAIRS_SET. */
    public static final class SteersFromReset extends ControlFault {
        public SteersFromReset() {
            super("mq-steers-from-reset");
        }

        @Override
        void negotiated(NetDevice reference, FeatureSet accepted) {
            reference.execute(pairsSet(reference.maxPairs()));
        }
    }

    /** Takes every transmitq for transmitq1, so it steers answers by hash alone, whatever queue a flow went out on. */
    public static final class IgnoresTransmitq extends FaultyNet {
        public IgnoresTransmitq() {
            super("mq-ignores-transmitq");
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    boolean laterTransmitq = queueIndex % 2 == 1 && queueIndex < 2 * reference.maxPairs();
                    super.process(laterTransmitq ? NetDevice.TRANSMITQ : queueIndex, queue);
                }
            };
        }
    }

    private static NetCommand pairsSet(int pairs) {
        return new NetCommand(NetCtrl.CLASS_MQ, NetCtrl.MQ_VQ_PAIRS_SET,
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) pairs).array());
    }

    // ---- config fields after mtu ----

    public static final class ZeroPairs extends ConfigFault {
        public ZeroPairs() {
            super("mq-pairs-0");
        }

        @Override
        byte[] patch(byte[] config) {
            ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).putShort(NetConfig.MAX_VIRTQUEUE_PAIRS, (short) 0);
            return config;
        }
    }

    public static final class SpeedTooHigh extends ConfigFault {
        public SpeedTooHigh() {
            super("speed-0x80000000");
        }

        @Override
        byte[] patch(byte[] config) {
            ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).putInt(NetConfig.SPEED, 0x80000000);
            return config;
        }
    }

    public static final class DuplexTwo extends ConfigFault {
        public DuplexTwo() {
            super("duplex-2");
        }

        @Override
        byte[] patch(byte[] config) {
            config[NetConfig.DUPLEX] = 2;
            return config;
        }
    }

    /** Offers RSS with the given capabilities in config space (it never gets to use them: no probe negotiates RSS). */
    private abstract static class OffersRss extends FaultyNet {
        private final int keySize;
        private final int tableLength;

        OffersRss(String fault, int keySize, int tableLength) {
            super(fault);
            this.keySize = keySize;
            this.tableLength = tableLength;
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public FeatureSet offeredFeatures() {
                    return super.offeredFeatures().with(Feature.NET_RSS);
                }

                @Override
                public byte[] config() {
                    byte[] config = super.config();
                    ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).put(NetConfig.RSS_MAX_KEY_SIZE, (byte) keySize)
                            .putShort(NetConfig.RSS_MAX_INDIRECTION_TABLE_LENGTH, (short) tableLength);
                    return config;
                }
            };
        }
    }

    public static final class RssKeyTooShort extends OffersRss {
        public RssKeyTooShort() {
            super("rss-key-39", 39, 128);
        }
    }

    public static final class RssTableTooShort extends OffersRss {
        public RssTableTooShort() {
            super("rss-table-127", 40, 127);
        }
    }
}

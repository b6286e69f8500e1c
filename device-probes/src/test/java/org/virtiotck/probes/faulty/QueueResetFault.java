package org.virtiotck.probes.faulty;

import java.util.HashSet;
import java.util.Set;

/**
 * One deviation in a queue's reset and enable registers (§4.1.4.3.1 queue_reset and queue_enable, §4.2.2.1 QueueReset
 * and QueueReady), written once and planted in front of either transport's reference register file by
 * {@link MmioQueueResetFault} or {@link PciQueueResetFault}. Every hook passes the correct behaviour through by default.
 */
abstract class QueueResetFault {

    /** The reference register file behind the fault, for the selected queue. */
    interface Registers {
        int selected();

        void select(int queue);

        /** Writes 1 to the selected queue's reset register, past the fault. */
        void resetSelected();

        /** The selected queue's enable register as the reference presents it. */
        boolean enabled();
    }

    /** What a read of the selected queue's reset register returns; {@code correct} is the reference's answer. */
    long readReset(Registers r, long correct) {
        return correct;
    }

    /** What a read of the selected queue's enable register returns. */
    long readEnable(Registers r, long correct) {
        return correct;
    }

    /** The driver wrote 1 to the selected queue's reset register: whether the write reaches the reference now. */
    boolean writeReset(Registers r) {
        return true;
    }

    /** The driver wrote 1 to the enable register of {@code queue}. */
    void enabled(int queue) {
    }

    /** The driver wrote 0 to the device status. */
    void deviceReset() {
    }

    /** After every read of any register, once its value is decided. */
    void afterRead(Registers r) {
    }

    /** Writes 1 to the reset register of {@code queue} past the fault, leaving the selection as it was. */
    static void resetQueue(Registers r, int queue) {
        int selected = r.selected();
        r.select(queue);
        r.resetSelected();
        r.select(selected);
    }

    /** After a device reset, every queue's reset register reads 1 until the queue is enabled. */
    static final class SetAfterDeviceReset extends QueueResetFault {
        private final Set<Integer> enabledSinceReset = new HashSet<>();
        private boolean deviceWasReset;

        @Override
        long readReset(Registers r, long correct) {
            return deviceWasReset && !enabledSinceReset.contains(r.selected()) ? 1 : correct;
        }

        @Override
        void enabled(int queue) {
            enabledSinceReset.add(queue);
        }

        @Override
        void deviceReset() {
            deviceWasReset = true;
            enabledSinceReset.clear();
        }
    }

    /** The reset register reads 1 whenever the queue is enabled, as if it mirrored the enable register. */
    static final class MirrorsEnable extends QueueResetFault {
        @Override
        long readReset(Registers r, long correct) {
            return r.enabled() ? 1 : correct;
        }
    }

    /** Resets queue 0 whichever queue is selected. */
    static final class ResetsQueueZero extends QueueResetFault {
        @Override
        boolean writeReset(Registers r) {
            resetQueue(r, 0);
            return false;
        }
    }

    /** Reads 0 in the reset register at once but resets the queue only after two more register reads. */
    static final class ReadsZeroEarly extends QueueResetFault {
        private static final int READS_UNTIL_DONE = 2;
        private int pendingQueue = -1;
        private int readsLeft;

        @Override
        boolean writeReset(Registers r) {
            pendingQueue = r.selected();
            readsLeft = READS_UNTIL_DONE;
            return false;
        }

        @Override
        void afterRead(Registers r) {
            if (pendingQueue >= 0 && --readsLeft == 0) {
                int queue = pendingQueue;
                pendingQueue = -1;
                resetQueue(r, queue);
            }
        }
    }

    /** Resets the queue but keeps its enable register reading 1 until the driver enables it again. */
    static final class EnableStaysSet extends QueueResetFault {
        private final Set<Integer> resetSinceEnabled = new HashSet<>();

        @Override
        long readEnable(Registers r, long correct) {
            return resetSinceEnabled.contains(r.selected()) ? 1 : correct;
        }

        @Override
        boolean writeReset(Registers r) {
            resetSinceEnabled.add(r.selected());
            return true;
        }

        @Override
        void enabled(int queue) {
            resetSinceEnabled.remove(queue);
        }

        @Override
        void deviceReset() {
            resetSinceEnabled.clear();
        }
    }

    /** Resets the queue but its reset register reads 1 from then on, until a device reset. */
    static final class NeverCompletes extends QueueResetFault {
        private final Set<Integer> resetQueues = new HashSet<>();

        @Override
        long readReset(Registers r, long correct) {
            return resetQueues.contains(r.selected()) ? 1 : correct;
        }

        @Override
        boolean writeReset(Registers r) {
            resetQueues.add(r.selected());
            return true;
        }

        @Override
        void deviceReset() {
            resetQueues.clear();
        }
    }
}

package org.virtiotck.probes.faulty;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Blk devices on a split ring that publish a used idx before the entry's len or the buffer's data is in place
 * (§2.7.8.2), as a device whose data still travels while its idx update has landed. The correct device handles
 * the notification; then the faulty one takes back the len (to 0) or the data (inverted) of each entry it just
 * published, and puts them in place only at the driver's next register access, say the interrupt handler's read
 * of InterruptStatus. A driver that polls the used idx in memory sees the gap every time, whatever the timing.
 */
public final class LateUsedWriteDevices {
    private static final int F_NEXT = 1;
    private static final int F_WRITE = 2;
    private static final int F_INDIRECT = 4;

    private LateUsedWriteDevices() {
    }

    /** Writes each used entry's len only after publishing the idx. */
    public static final class LateLen extends LateUsedWrite {
        public LateLen() {
            super("late-used-len", true);
        }
    }

    /** Writes each used buffer's data only after publishing the idx. */
    public static final class LateData extends LateUsedWrite {
        public LateData() {
            super("late-used-data", false);
        }
    }

    abstract static class LateUsedWrite extends FaultyBlk {
        private final boolean len;

        LateUsedWrite(String fault, boolean len) {
            super(fault);
            this.len = len;
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                /** The correct bytes to put back: address, then contents. */
                private final List<Long> addresses = new ArrayList<>();
                private final List<byte[]> contents = new ArrayList<>();
                @Override
                public long read(long offset, int width) {
                    catchUp();
                    return super.read(offset, width);
                }

                @Override
                public void write(long offset, int width, long value) {
                    catchUp();
                    super.write(offset, width, value);
                }

                @Override
                void afterNotify() {
                    for (int i = usedIdxAtNotify; i != memory.u16(deviceArea + 2); i = (i + 1) & 0xffff) {
                        long elem = deviceArea + 4 + 8L * (i % num);
                        if (len) {
                            holdBack(elem + 4, 4);
                        } else {
                            holdBackData((int) memory.u32(elem), memory.u32(elem + 4));
                        }
                    }
                }

                /** Inverts the first {@code usedLen} device-writable bytes of the direct chain at {@code head}. */
                private void holdBackData(int head, long usedLen) {
                    long left = usedLen;
                    for (int d = head, hops = 0; left > 0 && hops < num; hops++) {
                        long at = desc + 16L * d;
                        int flags = memory.u16(at + 12);
                        if ((flags & F_INDIRECT) != 0) {
                            return;
                        }
                        if ((flags & F_WRITE) != 0) {
                            int n = (int) Math.min(left, memory.u32(at + 8));
                            holdBack(memory.u64(at), n);
                            left -= n;
                        }
                        if ((flags & F_NEXT) == 0) {
                            return;
                        }
                        d = memory.u16(at + 14);
                    }
                }

                /** Remembers {@code n} bytes at {@code addr} and leaves them inverted until {@link #catchUp}. */
                private void holdBack(long addr, int n) {
                    byte[] correct = memory.read(addr, n);
                    byte[] wrong = correct.clone();
                    for (int k = 0; k < n; k++) {
                        wrong[k] = (byte) (len ? 0 : ~correct[k]);
                    }
                    addresses.add(addr);
                    contents.add(correct);
                    memory.write(addr, wrong);
                }

                private void catchUp() {
                    for (int k = 0; k < addresses.size(); k++) {
                        memory.write(addresses.get(k), contents.get(k));
                    }
                    addresses.clear();
                    contents.clear();
                }
            };
        }
    }
}

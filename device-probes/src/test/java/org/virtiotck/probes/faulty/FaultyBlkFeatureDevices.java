package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.blk.BlkRequest.*;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;
import static org.virtiotck.harness.inproc.BlkDevice.*;

import org.virtiotck.driver.blk.BlkConfig;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * One deviation each in the blk features, configuration and the request types beyond IN/OUT (VIRTIO 1.2 §5.2.5,
 * §5.2.6), planted in the reference blk device through its protected hooks. {@code FaultyBlkFeatureDevicesTest}
 * shows which probe must FAIL on each.
 */
public final class FaultyBlkFeatureDevices {
    private FaultyBlkFeatureDevices() {
    }

    /** Offers CONFIG_WCE but not FLUSH. */
    public static final class NoFlush extends FaultyBlk {
        public NoFlush() {
            super("no-flush");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public FeatureSet offeredFeatures() {
                    return super.offeredFeatures().without(Feature.BLK_FLUSH);
                }
            };
        }
    }

    /** writeback always reads 1, a writeback cache, even when FLUSH was not negotiated. */
    public static final class WritebackOne extends FaultyBlk {
        public WritebackOne() {
            super("writeback-one");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public byte[] config() {
                    byte[] c = super.config();
                    c[BlkConfig.WRITEBACK] = 1;
                    return c;
                }
            };
        }
    }

    /** The middle byte of unused1 reads 0x5a. */
    public static final class DirtyPadding extends FaultyBlk {
        public DirtyPadding() {
            super("dirty-padding");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public byte[] config() {
                    byte[] c = super.config();
                    c[BlkConfig.UNUSED1 + 1] = 0x5a;
                    return c;
                }
            };
        }
    }

    /** Read-only, but claims OK for the OUT it refuses. */
    public static final class ReadOnlyStatusOk extends FaultyBlk {
        public ReadOnlyStatusOk() {
            super("ro-status-ok");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, true) {
                @Override
                protected int refuseWrite(long sector, byte[] data) {
                    return S_OK;
                }
            };
        }
    }

    /** Read-only and answers IOERR, but stores the data anyway. */
    public static final class ReadOnlyWritesThrough extends FaultyBlk {
        public ReadOnlyWritesThrough() {
            super("ro-writes-through");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, true) {
                @Override
                protected int refuseWrite(long sector, byte[] data) {
                    System.arraycopy(data, 0, image(), (int) sector * SECTOR_SIZE, data.length);
                    return S_IOERR;
                }
            };
        }
    }

    /** Ignores the flags of DISCARD, WRITE_ZEROES and SECURE_ERASE segments. */
    public static final class IgnoresRangeFlags extends FaultyBlk {
        public IgnoresRangeFlags() {
            super("ignores-range-flags");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean flagsSupported(int type, int flags) {
                    return true;
                }
            };
        }
    }

    /** Accepts unmap on every range command, DISCARD included; still refuses unknown flags. */
    public static final class DiscardTakesUnmap extends FaultyBlk {
        public DiscardTakesUnmap() {
            super("discard-takes-unmap");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean flagsSupported(int type, int flags) {
                    return (flags & ~FLAG_UNMAP) == 0;
                }
            };
        }
    }

    /** Completes WRITE_ZEROES (and SECURE_ERASE) with OK but leaves the data in place. */
    public static final class ZeroesNothing extends FaultyBlk {
        public ZeroesNothing() {
            super("zeroes-nothing");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void zeroSectors(long sector, long sectors) {
                }
            };
        }
    }

    /** Offers LIFETIME and answers GET_LIFETIME with pre_eol_info 4, a reserved value. */
    public static final class ReservedLifetime extends FaultyBlk {
        public ReservedLifetime() {
            super("reserved-lifetime");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public FeatureSet offeredFeatures() {
                    return super.offeredFeatures().with(Feature.BLK_LIFETIME);
                }

                @Override
                protected long unsupported(DescriptorChain chain, GuestMemory mem, int type) {
                    if (type != T_GET_LIFETIME || chain.writableLength() != LIFETIME_BYTES + 1) {
                        return super.unsupported(chain, mem, type);
                    }
                    writeReadData(chain, mem, new byte[] {4, 0, 1, 0, 1, 0});
                    putStatus(chain, mem, S_OK);
                    return LIFETIME_BYTES + 1;
                }
            };
        }
    }

    /** Announces seg_max 254 but refuses an IN with more than 8 data segments. */
    public static final class SegMaxOverstated extends FaultyBlk {
        public SegMaxOverstated() {
            super("seg-max-overstated");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean withinSegmentLimits(DescriptorChain chain) {
                    return super.withinSegmentLimits(chain) && chain.segments().size() <= 8 + 2;
                }
            };
        }
    }

    /** Announces size_max 64 KiB but refuses a data descriptor above 4 KiB. */
    public static final class SizeMaxOverstated extends FaultyBlk {
        public SizeMaxOverstated() {
            super("size-max-overstated");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean withinSegmentLimits(DescriptorChain chain) {
                    return super.withinSegmentLimits(chain)
                            && chain.segments().stream().allMatch(s -> s.len() <= 4096);
                }
            };
        }
    }

    /** Refuses an IN with exactly seg_max data segments: it reads its own limit as exclusive. */
    public static final class SegMaxExclusive extends FaultyBlk {
        public SegMaxExclusive() {
            super("seg-max-exclusive");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean withinSegmentLimits(DescriptorChain chain) {
                    // Header and status are one descriptor each in the probe's requests.
                    return super.withinSegmentLimits(chain) && chain.segments().size() - 2 < SEG_MAX;
                }
            };
        }
    }

    /** Refuses a data descriptor of exactly size_max bytes: it reads its own limit as exclusive. */
    public static final class SizeMaxExclusive extends FaultyBlk {
        public SizeMaxExclusive() {
            super("size-max-exclusive");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean withinSegmentLimits(DescriptorChain chain) {
                    return super.withinSegmentLimits(chain) && chain.segments().stream().allMatch(s -> s.len() < SIZE_MAX);
                }
            };
        }
    }

    /** Announces 8 segments of 256 sectors for DISCARD, WRITE_ZEROES and SECURE_ERASE, but serves one less of each. */
    public static final class RangeLimitsOverstated extends FaultyBlk {
        public RangeLimitsOverstated() {
            super("range-limits-overstated");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected int rangeSegmentLimit() {
                    return MAX_RANGE_SEGMENTS - 1;
                }

                @Override
                protected long rangeSectorLimit() {
                    return MAX_RANGE_SECTORS - 1;
                }
            };
        }
    }

    /** Offers CONFIG_WCE but ignores the driver's writes to writeback. */
    public static final class WritebackIgnored extends FaultyBlk {
        public WritebackIgnored() {
            super("writeback-ignored");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void writeConfig(int offset, int width, long value) {
                }
            };
        }
    }

    /** Offers RO but is a writable device underneath: every write goes through. */
    public static final class ReadOnlyNotEnforced extends FaultyBlk {
        public ReadOnlyNotEnforced() {
            super("ro-not-enforced");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public FeatureSet offeredFeatures() {
                    return super.offeredFeatures().with(Feature.BLK_RO);
                }
            };
        }
    }
}

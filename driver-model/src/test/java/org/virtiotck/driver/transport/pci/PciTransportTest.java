package org.virtiotck.driver.transport.pci;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.transport.pci.PciCapabilities.*;
import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.transport.MmioBus;

/** The capability walk, BAR handling and notify address computation against a scripted PCI function. */
class PciTransportTest {
    private static final long BAR4 = 0x1000_4000L;

    /** Configuration space of a fake function: plain bytes, except that BAR registers behave like BARs. */
    static final class FakeFunction implements PciConfigSpace {
        final byte[] regs = new byte[256];
        final long[] barSize = new long[6];
        final boolean[] bar64 = new boolean[6];
        int accesses;

        void set(int offset, int width, long value) {
            for (int i = 0; i < width; i++) {
                regs[offset + i] = (byte) (value >>> 8 * i);
            }
        }

        int get(int offset, int width) {
            int v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | regs[offset + i] & 0xff;
            }
            return v;
        }

        /** A memory BAR of {@code size} bytes (a power of two) at {@code address}. */
        FakeFunction memoryBar(int index, long size, boolean wide, long address) {
            barSize[index] = size;
            bar64[index] = wide;
            set(BAR0 + 4 * index, 4, address & 0xffff_fff0L | (wide ? 0xc : 0));
            if (wide) {
                set(BAR0 + 4 * index + 4, 4, address >>> 32);
            }
            return this;
        }

        FakeFunction ioBar(int index, long size, long address) {
            barSize[index] = size;
            set(BAR0 + 4 * index, 4, address & 0xffff_fffcL | 1);
            return this;
        }

        /** A virtio structure capability of 16 bytes, or more for {@code capLen > 16}. */
        FakeFunction cap(int pos, int next, int capLen, int cfgType, int bar, long offset, long length) {
            set(pos, 1, CAP_ID_VENDOR);
            set(pos + 1, 1, next);
            set(pos + 2, 1, capLen);
            set(pos + 3, 1, cfgType);
            set(pos + 4, 1, bar);
            set(pos + 8, 4, offset);
            set(pos + 12, 4, length);
            return this;
        }

        FakeFunction notifyCap(int pos, int next, int bar, long offset, long length, int multiplier) {
            cap(pos, next, 20, CAP_NOTIFY_CFG, bar, offset, length);
            set(pos + 16, 4, multiplier);
            return this;
        }

        @Override
        public int read(int offset, int width) {
            if (++accesses > 10_000) {
                throw new AssertionError("runaway configuration space accesses");
            }
            return get(offset, width);
        }

        @Override
        public void write(int offset, int width, int value) {
            if (offset >= BAR0 && offset < BAR0 + 24) {
                assertEquals(4, width, "BAR registers are written 32 bits wide");
                int index = (offset - BAR0) / 4;
                if (barSize[index] != 0) {
                    int old = get(offset, 4);
                    boolean io = (old & 1) != 0;
                    int flags = old & (io ? 0x3 : 0xf);
                    set(offset, 4, value & (int) -barSize[index] & ~flags | flags);
                } else if (index > 0 && bar64[index - 1]) {
                    set(offset, 4, value & (int) (-barSize[index - 1] >>> 32));
                }
                return;
            }
            set(offset, width, value);
        }
    }

    /** Memory at bus addresses: bytes that were set, 0 elsewhere; every write is recorded. */
    static final class FakeBus implements MmioBus {
        final Map<Long, Byte> bytes = new HashMap<>();
        final List<String> writes = new ArrayList<>();

        void set(long address, int width, long value) {
            for (int i = 0; i < width; i++) {
                bytes.put(address + i, (byte) (value >>> 8 * i));
            }
        }

        @Override
        public long read(long address, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | bytes.getOrDefault(address + i, (byte) 0) & 0xff;
            }
            return v;
        }

        @Override
        public void write(long address, int width, long value) {
            writes.add(String.format("0x%x/%d=0x%x", address, width, value));
            set(address, width, value);
        }
    }

    /** QEMU's virtio-blk-pci layout: BAR1 for MSI-X, BAR4 with the structures, an MSI-X capability at the end. */
    static FakeFunction qemuLike() {
        FakeFunction f = new FakeFunction();
        f.set(VENDOR_ID, 2, 0x1af4);
        f.set(DEVICE_ID, 2, 0x1042);
        f.set(STATUS, 2, STATUS_CAPABILITIES_LIST);
        f.set(CAPABILITIES_POINTER, 1, 0x40);
        f.memoryBar(1, 0x1000, false, 0x1000_0000L);
        f.memoryBar(4, 0x4000, true, BAR4);
        f.cap(0x40, 0x50, 16, CAP_COMMON_CFG, 4, 0x0000, 0x1000);
        f.cap(0x50, 0x60, 16, CAP_ISR_CFG, 4, 0x1000, 0x1000);
        f.cap(0x60, 0x70, 16, CAP_DEVICE_CFG, 4, 0x2000, 0x1000);
        f.notifyCap(0x70, 0x84, 4, 0x3000, 0x1000, 4);
        f.cap(0x84, 0x98, 20, CAP_PCI_CFG, 0, 0, 0);
        f.set(0x98, 1, 0x11); // MSI-X
        f.set(0x99, 1, 0);
        return f;
    }

    private static PciLayoutException layoutError(FakeFunction f) {
        return assertThrows(PciLayoutException.class, () -> PciTransport.probe(f, new FakeBus()));
    }

    @Test
    void findsEveryStructureInBar4() {
        FakeFunction f = qemuLike();
        PciTransport t = PciTransport.probe(f, new FakeBus());
        assertEquals(BAR4, t.structure(CAP_COMMON_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x1000, t.structure(CAP_ISR_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x2000, t.structure(CAP_DEVICE_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x3000, t.structure(CAP_NOTIFY_CFG).orElseThrow().address());
        assertEquals(4, t.notifyOffMultiplier());
        assertEquals(0x84, t.pciCfgCapability().orElseThrow().position());
        assertEquals(5, t.capabilities().size(), "the MSI-X capability is not a vendor capability");
        assertEquals(6, t.capabilityList().size(), "the whole list, MSI-X included");
        assertTrue(t.capabilityList().stream().anyMatch(e -> e.id() == 0x11), "MSI-X is on the list");
        assertEquals(1, t.capabilities(CAP_NOTIFY_CFG).size());
        assertEquals(0x1af4, t.vendorId());
        assertEquals(0x1042, t.pciDeviceId());
        assertEquals(2, t.deviceId());
    }

    @Test
    void probeEnablesMemorySpaceAndBusMasterAndRestoresBars() {
        FakeFunction f = qemuLike();
        PciTransport.probe(f, new FakeBus());
        int command = f.get(COMMAND, 2);
        assertEquals(COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER, command & 0x6);
        assertEquals(0x1000_400c, f.get(BAR0 + 16, 4), "BAR4 low half restored after sizing");
        assertEquals(0, f.get(BAR0 + 20, 4));
        assertEquals(0x1000_0000, f.get(BAR0 + 4, 4));
    }

    @Test
    void assignBarsPlacesEachBarAlignedToItsSize() {
        FakeFunction f = qemuLike().memoryBar(1, 0x1000, false, 0).memoryBar(4, 0x4000, true, 0);
        f.set(COMMAND, 2, 0);
        long end = PciTransport.assignBars(f, 0x1000_0000L);
        assertEquals(0x1000_0000, f.get(BAR0 + 4, 4));
        assertEquals(0x1000_400c, f.get(BAR0 + 16, 4));
        assertEquals(0x1000_8000L, end);
        assertEquals(0, f.get(COMMAND, 2), "assignBars leaves decode as it found it");
        assertEquals(BAR4 + 0x3000, PciTransport.probe(f, new FakeBus()).structure(CAP_NOTIFY_CFG).orElseThrow().address());
    }

    @Test
    void notifyAddressIsBasePlusNotifyOffTimesMultiplier() {
        FakeBus bus = new FakeBus();
        bus.set(BAR4 + CommonConfig.QUEUE_NOTIFY_OFF, 2, 3);
        PciTransport t = PciTransport.probe(qemuLike(), bus);
        assertEquals(BAR4 + 0x3000 + 3 * 4, t.notifyAddress(2));
        bus.writes.clear();
        t.notifyQueue(2);
        assertEquals(List.of(String.format("0x%x/2=0x2", BAR4 + 0x300c)), bus.writes,
                "one 16-bit write of the queue index");
    }

    @Test
    void multiplierZeroNotifiesEveryQueueAtOneAddress() {
        FakeFunction f = qemuLike().notifyCap(0x70, 0x84, 4, 0x3000, 2, 0);
        FakeBus bus = new FakeBus();
        bus.set(BAR4 + CommonConfig.QUEUE_NOTIFY_OFF, 2, 7);
        PciTransport t = PciTransport.probe(f, bus);
        assertEquals(BAR4 + 0x3000, t.notifyAddress(0));
        assertEquals(BAR4 + 0x3000, t.notifyAddress(1));
    }

    @Test
    void notifyOffsetPastTheStructureIsALayoutError() {
        FakeFunction f = qemuLike().notifyCap(0x70, 0x84, 4, 0x3000, 0x10, 4);
        FakeBus bus = new FakeBus();
        bus.set(BAR4 + CommonConfig.QUEUE_NOTIFY_OFF, 2, 4);
        PciTransport t = PciTransport.probe(f, bus);
        PciLayoutException e = assertThrows(PciLayoutException.class, () -> t.notifyQueue(0));
        assertTrue(e.getMessage().contains("queue_notify_off 4"), e.getMessage());
    }

    @Test
    void capabilityLoopIsDetected() {
        FakeFunction f = qemuLike();
        f.set(0x60 + 1, 1, 0x40);
        PciLayoutException e = layoutError(f);
        assertTrue(e.getMessage().contains("loops"), e.getMessage());
        assertTrue(e.getMessage().contains("0x60"), e.getMessage());
    }

    @Test
    void capabilityPointingAtItselfIsALoop() {
        FakeFunction f = qemuLike();
        f.set(0x41, 1, 0x40);
        assertTrue(layoutError(f).getMessage().contains("loops"));
    }

    @Test
    void pointerIntoTheHeaderIsRejected() {
        FakeFunction f = qemuLike();
        f.set(CAPABILITIES_POINTER, 1, 0x20);
        PciLayoutException e = layoutError(f);
        assertTrue(e.getMessage().contains("0x20"), e.getMessage());
        FakeFunction g = qemuLike();
        g.set(0x51, 1, 0x08);
        assertTrue(layoutError(g).getMessage().contains("capability at 0x50"));
    }

    @Test
    void noCapabilitiesListBit() {
        FakeFunction f = qemuLike();
        f.set(STATUS, 2, 0);
        assertTrue(layoutError(f).getMessage().contains("0x0000"));
    }

    @Test
    void missingIsrStructure() {
        FakeFunction f = qemuLike();
        f.set(0x41, 1, 0x60); // skip the ISR capability
        PciLayoutException e = layoutError(f);
        assertTrue(e.getMessage().contains("ISR status structure (cfg_type 3)"), e.getMessage());
    }

    @Test
    void missingDeviceStructureFailsOnlyAtConfigAccess() {
        FakeFunction f = qemuLike();
        f.set(0x51, 1, 0x70);
        PciTransport t = PciTransport.probe(f, new FakeBus());
        assertTrue(t.structure(CAP_DEVICE_CFG).isEmpty());
        assertThrows(PciLayoutException.class, () -> t.readConfig(0, 4));
    }

    @Test
    void reservedBarNumberIsIgnoredAndTheNextInstanceUsed() {
        FakeFunction f = qemuLike();
        f.cap(0x40, 0xa0, 16, CAP_COMMON_CFG, 7, 0, 0x1000);
        f.cap(0xa0, 0x50, 16, CAP_COMMON_CFG, 4, 0x800, 0x800);
        assertEquals(BAR4 + 0x800, PciTransport.probe(f, new FakeBus()).structure(CAP_COMMON_CFG).orElseThrow().address());
        f.set(0xa0 + 4, 1, 6);
        PciLayoutException e = layoutError(f);
        assertTrue(e.getMessage().contains("reserved BAR 7") && e.getMessage().contains("reserved BAR 6"), e.getMessage());
    }

    @Test
    void firstInstanceOfATypeWins() {
        FakeFunction f = qemuLike();
        f.set(0x99, 1, 0xa0);
        f.cap(0xa0, 0, 16, CAP_COMMON_CFG, 4, 0x800, 0x800);
        assertEquals(BAR4, PciTransport.probe(f, new FakeBus()).structure(CAP_COMMON_CFG).orElseThrow().address());
    }

    @Test
    void ioBarStructureIsSkippedForALaterMemoryOne() {
        FakeFunction f = qemuLike().ioBar(0, 0x40, 0xc000);
        f.set(CAPABILITIES_POINTER, 1, 0xa0);
        f.notifyCap(0xa0, 0x40, 0, 0, 0x40, 0);
        PciTransport t = PciTransport.probe(f, new FakeBus());
        assertEquals(BAR4 + 0x3000, t.structure(CAP_NOTIFY_CFG).orElseThrow().address());
        assertEquals(6, t.capabilities().size());
    }

    @Test
    void structureOutsideItsBar() {
        FakeFunction f = qemuLike().notifyCap(0x70, 0x84, 4, 0x3000, 0x2000, 4);
        PciLayoutException e = layoutError(f);
        assertTrue(e.getMessage().contains("ends at 0x5000, outside BAR 4 of 0x4000 bytes"), e.getMessage());
    }

    @Test
    void structureInAnUnimplementedBar() {
        FakeFunction f = qemuLike().cap(0x50, 0x60, 16, CAP_ISR_CFG, 2, 0, 1);
        assertTrue(layoutError(f).getMessage().contains("BAR 2, which is not implemented"));
    }

    @Test
    void structureInTheUpperHalfOfA64BitBar() {
        FakeFunction f = qemuLike().cap(0x50, 0x60, 16, CAP_ISR_CFG, 5, 0, 1);
        assertTrue(layoutError(f).getMessage().contains("upper half of 64-bit BAR 4"));
    }

    @Test
    void unassignedBar() {
        FakeFunction f = qemuLike().memoryBar(4, 0x4000, true, 0);
        assertTrue(layoutError(f).getMessage().contains("no address"));
    }

    @Test
    void longerCapLenIsAcceptedShorterIsNot() {
        FakeFunction f = qemuLike();
        f.set(0x40 + 2, 1, 24);
        assertEquals(BAR4, PciTransport.probe(f, new FakeBus()).structure(CAP_COMMON_CFG).orElseThrow().address());
        f.set(0x40 + 2, 1, 8);
        assertTrue(layoutError(f).getMessage().contains("cap_len 8"));
        FakeFunction g = qemuLike();
        g.set(0x70 + 2, 1, 16);
        assertTrue(layoutError(g).getMessage().contains("notify_off_multiplier"));
    }

    @Test
    void capabilityRunningPastConfigurationSpace() {
        FakeFunction f = qemuLike();
        f.set(0x99, 1, 0xf8);
        f.set(0xf8, 1, CAP_ID_VENDOR);
        f.set(0xf9, 1, 0);
        f.set(0xfa, 1, 16);
        f.set(0xfb, 1, CAP_DEVICE_CFG);
        assertTrue(layoutError(f).getMessage().contains("runs past the end"));
    }

    @Test
    void reservedCfgTypeAndVendorDataAreIgnored() {
        FakeFunction f = qemuLike();
        f.set(0x99, 1, 0xa0);
        f.cap(0xa0, 0xb0, 16, 0x0a, 4, 0, 0x4000);
        f.set(0xb0, 1, CAP_ID_VENDOR); // vendor data capability, 8 bytes
        f.set(0xb1, 1, 0);
        f.set(0xb2, 1, 8);
        f.set(0xb3, 1, 9);
        PciTransport t = PciTransport.probe(f, new FakeBus());
        assertEquals(7, t.capabilities().size());
        assertEquals(BAR4, t.structure(CAP_COMMON_CFG).orElseThrow().address());
    }

    @Test
    void configAccessesUseTheDeviceStructure() {
        FakeBus bus = new FakeBus();
        bus.set(BAR4 + 0x2000, 4, 0x1234_5678);
        PciTransport t = PciTransport.probe(qemuLike(), bus);
        assertEquals(0x5678, t.readConfig(0, 2));
        assertThrows(IllegalArgumentException.class, () -> t.readConfig(0xffe, 4));
    }

    @Test
    void commonFieldsUseTheirOwnWidths() {
        FakeBus bus = new FakeBus();
        PciTransport t = PciTransport.probe(qemuLike(), bus);
        bus.writes.clear();
        t.setStatus(1);
        t.configureQueue(0, 64, 0x1_2345_6000L, 0x4000_1000L, 0x4000_2000L);
        assertEquals(List.of(
                String.format("0x%x/1=0x1", BAR4 + 0x14),
                String.format("0x%x/2=0x0", BAR4 + 0x16),
                String.format("0x%x/2=0x40", BAR4 + 0x18),
                String.format("0x%x/4=0x23456000", BAR4 + 0x20),
                String.format("0x%x/4=0x1", BAR4 + 0x24),
                String.format("0x%x/4=0x40001000", BAR4 + 0x28),
                String.format("0x%x/4=0x0", BAR4 + 0x2c),
                String.format("0x%x/4=0x40002000", BAR4 + 0x30),
                String.format("0x%x/4=0x0", BAR4 + 0x34),
                String.format("0x%x/2=0x0", BAR4 + 0x16)), bus.writes);
    }
}

package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.transport.pci.PciCapabilities.*;
import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.pci.CommonConfig;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.driver.transport.pci.PciTransport;

/** The virtio-pci register model with a blk device, driven through the driver model's PCI transport. */
class PciDeviceModelTest {
    private static final long RAM = 0x4000_0000L;
    private static final int RAM_SIZE = 1 << 20;
    private static final long MMIO_WINDOW = 0x1000_0000L;

    /** How the blk device reports a configuration change on its own; set when the model attaches it. */
    private DeviceHost host;
    private final BlkDevice blk = new BlkDevice(64, "pci", false) {
        @Override
        public void attach(DeviceHost h) {
            host = h;
        }
    };
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(RAM, RAM_SIZE);
    private final Allocator alloc = new Allocator(mem, RAM, RAM_SIZE, 64);
    private final PciDeviceModel model = new PciDeviceModel(blk, mem);

    /** Where {@link PciTransport#assignBars} puts BAR4: after the 4 KiB MSI-X BAR1, aligned to its 16 KiB. */
    private static final long BAR4 = MMIO_WINDOW + 0x4000;

    /** Firmware's part (place BAR1 and BAR4), then the driver's probe. */
    private PciTransport attach() {
        PciTransport.assignBars(model, MMIO_WINDOW);
        return PciTransport.probe(model, model);
    }

    private VirtioDriver startedDriver(PciTransport t) {
        VirtioDriver d = new VirtioDriver(t, alloc, Duration.ofSeconds(5));
        d.start(FeatureSet.of(Feature.VERSION_1, Feature.BLK_FLUSH), 1, 256);
        return d;
    }

    private int config(int offset, int width) {
        return model.read(offset, width);
    }

    @Test
    void headerIdentifiesAModernBlockDevice() {
        assertEquals(0x1af4, config(VENDOR_ID, 2));
        assertEquals(0x1042, config(DEVICE_ID, 2));
        assertEquals(1, config(REVISION_ID, 1));
        assertEquals(0x010000, config(REVISION_ID, 4) >>> 8, "class code");
        assertEquals(0, config(HEADER_TYPE, 1));
        assertTrue(config(SUBSYSTEM_ID, 2) >= 0x40);
        assertEquals(0x1af4, config(SUBSYSTEM_VENDOR_ID, 2));
        assertEquals(STATUS_CAPABILITIES_LIST, config(STATUS, 2));
        assertEquals(0x40, config(CAPABILITIES_POINTER, 1));
        assertEquals(1, config(INTERRUPT_PIN, 1));
        assertEquals(0, config(0x100, 4), "no extended configuration space");
    }

    @Test
    void bar4SizesAs16KiB64BitPrefetchableMemory() {
        int bar4 = BAR0 + 16;
        assertEquals(0xc, config(bar4, 4), "unassigned, 64-bit prefetchable memory");
        model.write(bar4, 4, -1);
        model.write(bar4 + 4, 4, -1);
        assertEquals(0xffff_c00c, config(bar4, 4));
        assertEquals(-1, config(bar4 + 4, 4));
        for (int i : new int[] {0, 2, 3}) {
            model.write(BAR0 + 4 * i, 4, -1);
            assertEquals(0, config(BAR0 + 4 * i, 4), "BAR" + i + " is not implemented");
        }
        model.write(bar4, 4, 0);
        model.write(bar4 + 4, 4, 0);
        assertEquals(BAR4 + 0x4000, PciTransport.assignBars(model, MMIO_WINDOW));
        assertEquals(BAR4, model.barAddress());
        assertEquals((int) BAR4 | 0xc, config(bar4, 4));
        assertEquals(0, config(COMMAND, 2), "assigning does not enable decode");
    }

    @Test
    void bar1SizesAs4KiB32BitMemoryForTheMsixTable() {
        int bar1 = BAR0 + 4;
        assertEquals(0, config(bar1, 4), "unassigned, 32-bit memory");
        model.write(bar1, 4, -1);
        assertEquals(0xffff_f000, config(bar1, 4));
        model.write(bar1, 4, 0);
        PciTransport.assignBars(model, MMIO_WINDOW);
        assertEquals(MMIO_WINDOW, model.msixBarAddress());
    }

    @Test
    void barSpaceDecodesOnlyWithMemorySpaceAndAnAddress() {
        model.write(COMMAND, 2, COMMAND_MEMORY_SPACE);
        assertEquals(0xff, model.read(0x14L, 1), "BAR without an address: nothing answers");
        PciTransport.assignBars(model, MMIO_WINDOW);
        long status = BAR4 + CommonConfig.DEVICE_STATUS;
        model.write(COMMAND, 2, 0);
        assertEquals(0xff, model.read(status, 1));
        assertEquals(0xffff_ffffL, model.read(BAR4, 4));
        model.write(status, 1, DeviceStatus.ACKNOWLEDGE);
        model.write(COMMAND, 2, COMMAND_MEMORY_SPACE);
        assertEquals(0, model.read(status, 1), "the write without Memory Space went nowhere");
        assertEquals(0xffff_ffffL, model.read(BAR4 + PciDeviceModel.BAR_SIZE, 4), "past the BAR");
    }

    @Test
    void capabilityWalkFindsEveryStructure() {
        PciTransport t = attach();
        assertEquals(BAR4, t.structure(CAP_COMMON_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x1000, t.structure(CAP_ISR_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x2000, t.structure(CAP_DEVICE_CFG).orElseThrow().address());
        assertEquals(BAR4 + 0x3000, t.structure(CAP_NOTIFY_CFG).orElseThrow().address());
        assertEquals(4, t.notifyOffMultiplier());
        assertEquals(PciDeviceModel.PCI_CFG_CAP_POS, t.pciCfgCapability().orElseThrow().position());
        assertEquals(5, t.capabilities().size());
        assertEquals(COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER, config(COMMAND, 2));
        assertEquals(2, t.deviceId());
        assertEquals(BAR4 + 0x3000, t.notifyAddress(0), "queue_notify_off of queue 0 is 0");
        Msix msix = t.msix().orElseThrow();
        assertEquals(PciDeviceModel.MSIX_CAP_POS, msix.position());
        assertEquals(2, msix.vectors(), "one queue and the configuration vector");
        assertEquals(new Msix.Placement(1, 0, MMIO_WINDOW, 0x1000), msix.table());
        assertEquals(new Msix.Placement(1, 0x800, MMIO_WINDOW, 0x1000), msix.pba());
    }

    @Test
    void commonConfigurationFields() {
        PciTransport t = attach();
        MmioBus cc = t.commonCfg();
        assertEquals(1, cc.read(CommonConfig.NUM_QUEUES, 2));
        assertEquals(CommonConfig.NO_VECTOR, cc.read(CommonConfig.CONFIG_MSIX_VECTOR, 2));
        assertEquals(CommonConfig.NO_VECTOR, cc.read(CommonConfig.QUEUE_MSIX_VECTOR, 2));
        assertEquals(0, cc.read(CommonConfig.QUEUE_NOTIFY_OFF, 2));
        assertEquals(0, cc.read(CommonConfig.CONFIG_GENERATION, 1));
        cc.write(CommonConfig.DEVICE_FEATURE_SELECT, 4, 1);
        assertEquals(1 | 1 << 2 | 1 << 3 | 1 << 8, cc.read(CommonConfig.DEVICE_FEATURE, 4),
                "VERSION_1 is bit 32, RING_PACKED bit 34, IN_ORDER bit 35, RING_RESET bit 40");
        assertEquals(0, cc.read(CommonConfig.DEVICE_FEATURE, 2), "a 16-bit access to a 32-bit field is not decoded");
    }

    @Test
    void negotiationKeepsFeaturesOkAndDriverFeaturesReadBack() {
        PciTransport t = attach();
        VirtioDriver d = new VirtioDriver(t, alloc, Duration.ofSeconds(5));
        FeatureSet accepted = d.negotiate(FeatureSet.of(Feature.VERSION_1, Feature.BLK_FLUSH));
        assertEquals(FeatureSet.of(Feature.VERSION_1, Feature.BLK_FLUSH), accepted);
        assertEquals(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK, t.status());
        MmioBus cc = t.commonCfg();
        cc.write(CommonConfig.DRIVER_FEATURE_SELECT, 4, 1);
        assertEquals(1, cc.read(CommonConfig.DRIVER_FEATURE, 4));
        cc.write(CommonConfig.DRIVER_FEATURE_SELECT, 4, 0);
        assertEquals(1L << Feature.BLK_FLUSH.bit(), cc.read(CommonConfig.DRIVER_FEATURE, 4));
    }

    @Test
    void blkWriteThenReadRoundTrip() {
        PciTransport t = attach();
        VirtioDriver d = startedDriver(t);
        BlkClient c = new BlkClient(d);
        assertEquals(64, c.capacitySectors());
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        BlkResult w = c.write(3, data);
        assertEquals(BlkRequest.S_OK, w.status(), w.statusName());
        assertArrayEquals(data, Arrays.copyOfRange(blk.image(), 3 * 512, 5 * 512));
        BlkResult r = c.read(3, 1024);
        assertEquals(BlkRequest.S_OK, r.status(), r.statusName());
        assertArrayEquals(data, r.data());
        assertEquals(List.of(), d.findings());
        assertTrue(model.needsResetReason().isEmpty());
    }

    @Test
    void isrIsClearedByReadingItAndMirroredInPciStatus() {
        PciTransport t = attach();
        VirtioDriver d = startedDriver(t);
        assertEquals(BlkRequest.S_OK, new BlkClient(d).flush().status());
        assertEquals(STATUS_INTERRUPT, config(STATUS, 2) & STATUS_INTERRUPT);
        assertEquals(1, t.takeInterrupts(), "used buffer");
        assertEquals(0, t.takeInterrupts(), "the first read cleared it");
        assertEquals(0, config(STATUS, 2) & STATUS_INTERRUPT);
    }

    @Test
    void absentQueueReadsSizeZero() {
        PciTransport t = attach();
        assertEquals(BlkDevice.MAX_QUEUE_SIZE, t.queueMaxSize(0));
        assertEquals(0, t.queueMaxSize(1));
        assertEquals(0, t.queueMaxSize(0xffff));
        MmioBus cc = t.commonCfg();
        cc.write(CommonConfig.QUEUE_SIZE, 2, 16);
        assertEquals(0, cc.read(CommonConfig.QUEUE_SIZE, 2), "writes to an absent queue change nothing");
    }

    @Test
    void queueResetRestoresTheQueueAsADeviceResetWould() {
        PciTransport t = attach();
        VirtioDriver d = new VirtioDriver(t, alloc, Duration.ofSeconds(5));
        d.start(FeatureSet.of(Feature.VERSION_1, Feature.RING_RESET), 1, 64);
        assertTrue(d.negotiated().has(Feature.RING_RESET));
        MmioBus cc = t.commonCfg();
        t.resetQueue(0);
        assertEquals(0, cc.read(CommonConfig.QUEUE_RESET, 2), "the reset completes within the write");
        assertEquals(0, cc.read(CommonConfig.QUEUE_ENABLE, 2));
        assertEquals(BlkDevice.MAX_QUEUE_SIZE, cc.read(CommonConfig.QUEUE_SIZE, 2), "queue_size shows the maximum again");
        assertEquals(0, cc.read(CommonConfig.QUEUE_DESC, 4));
        cc.write(CommonConfig.QUEUE_SIZE, 2, 16);
        assertEquals(16, cc.read(CommonConfig.QUEUE_SIZE, 2), "a reset queue takes a new size");
    }

    @Test
    void queueResetIsIgnoredWithoutRingReset() {
        PciTransport t = attach();
        startedDriver(t);
        t.resetQueue(0);
        assertTrue(t.queueReady(0));
    }

    @Test
    void queueSizeTakesASmallerPowerOfTwoAndResetRestoresTheMaximumAndSelectors() {
        PciTransport t = attach();
        VirtioDriver d = new VirtioDriver(t, alloc, Duration.ofSeconds(5));
        d.negotiate(FeatureSet.of(Feature.VERSION_1));
        d.setupQueue(0, 64);
        assertEquals(64, t.queueMaxSize(0), "queue_size reads what the driver wrote");
        assertTrue(t.queueReady(0));
        MmioBus cc = t.commonCfg();
        cc.write(CommonConfig.QUEUE_SIZE, 2, 32);
        assertEquals(64, cc.read(CommonConfig.QUEUE_SIZE, 2), "an enabled queue's size is fixed");
        cc.write(CommonConfig.DEVICE_FEATURE_SELECT, 4, 1);
        cc.write(CommonConfig.DRIVER_FEATURE_SELECT, 4, 2);
        cc.write(CommonConfig.QUEUE_SELECT, 2, 1);
        t.setStatus(0);
        assertEquals(0, t.status());
        assertEquals(0, cc.read(CommonConfig.DEVICE_FEATURE_SELECT, 4));
        assertEquals(0, cc.read(CommonConfig.DRIVER_FEATURE_SELECT, 4));
        assertEquals(0, cc.read(CommonConfig.QUEUE_SELECT, 2));
        assertEquals(BlkDevice.MAX_QUEUE_SIZE, cc.read(CommonConfig.QUEUE_SIZE, 2));
        assertEquals(0, cc.read(CommonConfig.QUEUE_ENABLE, 2));
        assertEquals(0, cc.read(CommonConfig.QUEUE_DESC, 4));
    }

    @Test
    void noRingProcessingWithoutBusMaster() {
        PciTransport t = attach();
        VirtioDriver d = startedDriver(t);
        Virtqueue q = d.queue(0);
        model.write(COMMAND, 2, COMMAND_MEMORY_SPACE);
        Buffer status = alloc.writable(1);
        q.add(List.of(alloc.readable(BlkRequest.header(BlkRequest.T_FLUSH, 0))), List.of(status));
        t.notifyQueue(0);
        assertTrue(q.poll().isEmpty(), "no DMA without Bus Master");
        assertEquals(Allocator.POISON, (byte) mem.u8(status.address()));
        assertEquals(0, t.takeInterrupts());

        model.write(COMMAND, 2, COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER);
        t.notifyQueue(0);
        q.await(d.deadline());
        assertEquals(BlkRequest.S_OK, mem.u8(status.address()));
        assertEquals(List.of(), d.findings());
    }

    @Test
    void pciCfgWindowReachesTheBarWithoutMemorySpace() {
        PciTransport t = attach();
        int cap = t.pciCfgCapability().orElseThrow().position();
        model.write(COMMAND, 2, 0);
        model.write(cap + CAP_BAR, 1, 4);
        model.write(cap + CAP_LENGTH, 4, 1);
        model.write(cap + CAP_OFFSET, 4, CommonConfig.DEVICE_STATUS);
        model.write(cap + CAP_PCI_CFG_DATA, 1, DeviceStatus.ACKNOWLEDGE);
        assertEquals(DeviceStatus.ACKNOWLEDGE, config(cap + CAP_PCI_CFG_DATA, 1));
        model.write(cap + CAP_LENGTH, 4, 4);
        model.write(cap + CAP_OFFSET, 4, (int) PciDeviceModel.DEVICE_OFFSET);
        assertEquals(64, config(cap + CAP_PCI_CFG_DATA, 4), "blk capacity, low half");
        model.write(COMMAND, 2, COMMAND_MEMORY_SPACE);
        assertEquals(DeviceStatus.ACKNOWLEDGE, t.status(), "the window write reached device_status");
    }

    @Test
    void queueEnableZeroIsIgnored() {
        PciTransport t = attach();
        VirtioDriver d = startedDriver(t);
        t.setQueueReady(0, false);
        assertTrue(t.queueReady(0));
        assertEquals(BlkRequest.S_OK, new BlkClient(d).flush().status());
    }

    @Test
    void vectorMappingHoldsOnlyVectorsOfTheTableAndResetUnmaps() {
        PciTransport t = attach();
        assertEquals(1, t.mapConfigVector(1));
        assertEquals(0, t.mapQueueVector(0, 0));
        assertEquals(CommonConfig.NO_VECTOR, t.mapQueueVector(0, 2), "vector 2 is past the 2-entry table");
        assertEquals(CommonConfig.NO_VECTOR, t.mapQueueVector(1, 0), "no queue 1");
        t.setStatus(0);
        assertEquals(CommonConfig.NO_VECTOR, t.commonCfg().read(CommonConfig.CONFIG_MSIX_VECTOR, 2));
    }

    /** A driver that negotiated VERSION_1 and set up queue 0, short of DRIVER_OK. */
    private VirtioDriver preparedDriver(PciTransport t) {
        VirtioDriver d = new VirtioDriver(t, alloc, Duration.ofSeconds(5));
        d.negotiate(FeatureSet.of(Feature.VERSION_1));
        d.setupQueue(0, 64);
        return d;
    }

    /** The function's MSI-X, turned on with its vectors aimed at a fresh mailbox. */
    private Msix withMsix(PciTransport t) {
        Msix msix = t.msix().orElseThrow();
        enableMsix(msix);
        return msix;
    }

    /** Turns MSI-X on with its vectors aimed at a fresh mailbox; the mailbox's address. */
    private long enableMsix(Msix msix) {
        long mailbox = alloc.ring(4 * msix.vectors(), 4);
        msix.enable(mem, mailbox);
        return mailbox;
    }

    @Test
    void withMsixAUsedBufferIsTheQueueVectorsMessageAndNotTheIsr() {
        PciTransport t = attach();
        VirtioDriver d = preparedDriver(t);
        Msix msix = t.msix().orElseThrow();
        long mailbox = enableMsix(msix);
        assertEquals(1, t.mapQueueVector(0, 1));
        d.driverOk();
        assertEquals(BlkRequest.S_OK, new BlkClient(d).flush().status());
        assertEquals(Msix.DATA_TAG | 1, mem.u32(mailbox + 4), "vector 1's data at its address");
        assertEquals(0, mem.u32(mailbox), "nothing on vector 0");
        assertEquals(0, config(STATUS, 2) & STATUS_INTERRUPT, "no INTx with MSI-X enabled");
        assertEquals(PciTransport.ISR_QUEUE, t.takeInterrupts(), "the used buffer cause, from vector 1");
        assertEquals(0, t.takeInterrupts(), "taken");
        assertEquals(0, mem.u32(mailbox + 4));
    }

    @Test
    void withMsixAQueueOnNoVectorSendsNothing() {
        PciTransport t = attach();
        VirtioDriver d = preparedDriver(t);
        Msix msix = withMsix(t);
        d.driverOk();
        assertEquals(BlkRequest.S_OK, new BlkClient(d).flush().status());
        assertTrue(msix.takeMessages().isEmpty());
        assertFalse(model.msixPending(0) || model.msixPending(1));
    }

    @Test
    void aMaskedVectorIsPendingAndSendsWhenUnmasked() {
        PciTransport t = attach();
        VirtioDriver d = preparedDriver(t);
        Msix msix = withMsix(t);
        assertEquals(1, t.mapQueueVector(0, 1));
        d.driverOk();
        msix.writeEntry(1, Msix.ENTRY_VECTOR_CONTROL, Msix.VECTOR_MASKED);
        assertEquals(BlkRequest.S_OK, new BlkClient(d).flush().status());
        assertTrue(msix.takeMessages().isEmpty(), "masked: no message");
        assertTrue(msix.pending(1), "but the pending bit");
        msix.writeEntry(1, Msix.ENTRY_VECTOR_CONTROL, 0);
        assertFalse(msix.pending(1));
        assertEquals(BitSet.valueOf(new long[] {2}), msix.takeMessages(), "sent on unmasking");
    }

    @Test
    void withMsixAConfigChangeSetsTheIsrBitAndSendsTheConfigVector() {
        PciTransport t = attach();
        VirtioDriver d = preparedDriver(t);
        Msix msix = withMsix(t);
        assertEquals(0, t.mapConfigVector(0));
        d.driverOk();
        host.configChanged();
        assertEquals(BitSet.valueOf(new long[] {1}), msix.takeMessages());
        assertEquals(PciTransport.ISR_CONFIG, model.read(t.structure(CAP_ISR_CFG).orElseThrow().address(), 1));
    }
}

package org.virtiotck.probes.malformed;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.malformed.Judgement.IfReturned;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Blk requests that do not have the form §5.2.6 gives every request (a 16-byte header the device reads, the data,
 * a final status byte the device writes), laid out by hand in either ring layout and judged by {@link Judgement}:
 * the device must neither write outside the chain's device-writable bytes nor stop serving.
 */
@ForDevice(DeviceType.BLK)
class MalformedBlkProbes {

    /** A chain of: the read of sector 0's header, then the given device-writable lengths, all linked. */
    private static List<Element> request(RawRequestQueue q, byte[] header, int... writable) {
        List<Element> chain = new ArrayList<>();
        if (header != null) {
            chain.add(Element.of(q.allocator().readable(header)));
        }
        for (int len : writable) {
            chain.add(Element.of(q.allocator().writable(len)));
        }
        return Element.linked(chain);
    }

    private static void judge(RawRequestQueue q, List<Element> chain, String what, IfReturned ifReturned) {
        q.placeAndMakeAvailable(chain);
        Judgement.judge(q, what, Requests.writableBytes(chain), ifReturned);
    }

    /**
     * No device-readable descriptor at all: a sector's worth of data and the status byte, both device-writable.
     * There is no type or sector to carry out, so returning it (an error status in the last byte) is tolerating it.
     */
    @Probe
    @Clause(section = "5.2.6", label = "device survives a blk request whose header is missing or shorter than 16 bytes",
            level = Level.MUST)
    void noHeader(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        judge(q, request(q, null, BlkRequest.SECTOR_SIZE, 1), "a blk request without a header", IfReturned.REJECT);
    }

    /** The header's first 8 bytes only (type IN, reserved), then data and status: no sector to read from. */
    @Probe
    @Clause(section = "5.2.6", label = "device survives a blk request whose header is missing or shorter than 16 bytes",
            level = Level.MUST)
    void headerShorterThan16Bytes(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        byte[] half = new byte[BlkRequest.HEADER_SIZE / 2];
        System.arraycopy(BlkRequest.header(BlkRequest.T_IN, 0), 0, half, 0, half.length);
        judge(q, request(q, half, BlkRequest.SECTOR_SIZE, 1), "a blk request with an 8-byte header", IfReturned.REJECT);
    }

    /**
     * An IN of one sector whose only device-writable descriptor is the 512-byte data buffer, with no status byte
     * after it. The device must not assume framing (§2.7.4), so its last writable byte is the status and the data
     * 511 bytes, which §5.2.6.1 forbids the driver for IN. A device that puts the status after the data buffer writes
     * past the chain: FAIL. Returning it harmlessly (IOERR in that last byte) is tolerating it.
     */
    @Probe
    @Clause(section = "5.2.6.1", label = "device survives a blk request with no status byte after a sector of data",
            level = Level.MUST)
    void noStatusByte(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        judge(q, request(q, BlkRequest.header(BlkRequest.T_IN, 0), BlkRequest.SECTOR_SIZE),
                "an IN whose last writable buffer is its 512-byte data", IfReturned.REJECT);
    }

    /**
     * An IN of sector 0 whose only device-writable descriptor is the status byte. The header has no length: the data
     * is what the chain holds, none, and zero is a multiple of 512 (§5.2.6.1), so no driver requirement forbids it.
     * A device may carry it out as the empty read it is, writing the status only: PASS; refusing it safely is REJECT.
     * One that reads a sector anyway writes it where the status byte's buffer ends: FAIL.
     */
    @Probe
    @Clause(section = "5.2.6.1", label = "device handles a blk IN with no data buffer: reads nothing, or refuses it safely",
            level = Level.MUST)
    void readWithOnlyAStatusByte(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        judge(q, request(q, BlkRequest.header(BlkRequest.T_IN, 0), 1), "an IN whose only writable buffer is the status byte",
                IfReturned.PASS);
    }
}

package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.blk.BlkRequest.RANGE_SEGMENT_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One segment of a DISCARD or WRITE_ZEROES request (§5.2.6); {@code sectors} is the unsigned le32. */
record BlkRangeSegment(long sector, long sectors, int flags) {

    /** The segments of {@code data}, whose length the caller checked to be a multiple of the segment size. */
    static List<BlkRangeSegment> parse(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        List<BlkRangeSegment> segments = new ArrayList<>();
        for (int at = 0; at + RANGE_SEGMENT_SIZE <= data.length; at += RANGE_SEGMENT_SIZE) {
            segments.add(new BlkRangeSegment(b.getLong(at), Integer.toUnsignedLong(b.getInt(at + 8)), b.getInt(at + 12)));
        }
        return segments;
    }
}

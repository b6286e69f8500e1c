package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.blk.BlkRequest.HEADER_SIZE;

/**
 * How an IN or OUT request cuts its data into descriptors, for the SEG_MAX and SIZE_MAX limits (§5.2.4): the
 * descriptors holding data bytes, and the most data bytes any one of them holds. A descriptor that also holds
 * the header or the status counts only its data bytes, since the limits are about the data.
 */
record BlkDataSegments(int count, long longest) {

    static BlkDataSegments of(DescriptorChain chain) {
        long readableAt = 0;
        long writableAt = 0;
        long statusAt = chain.writableLength() - 1;
        int count = 0;
        long longest = 0;
        for (Segment s : chain.segments()) {
            long data;
            if (s.writable()) {
                data = Math.max(0, Math.min(writableAt + s.len(), statusAt) - writableAt);
                writableAt += s.len();
            } else {
                data = Math.max(0, readableAt + s.len() - Math.max(readableAt, HEADER_SIZE));
                readableAt += s.len();
            }
            if (data > 0) {
                count++;
                longest = Math.max(longest, data);
            }
        }
        return new BlkDataSegments(count, longest);
    }
}

package org.virtiotck.fuzz;

import org.virtiotck.driver.blk.BlkRequest;

/** The blk request types a plan uses, with their wire codes (VIRTIO 1.2 §5.2.6). */
public enum BlkRequestType {
    IN(BlkRequest.T_IN),
    OUT(BlkRequest.T_OUT),
    FLUSH(BlkRequest.T_FLUSH),
    GET_ID(BlkRequest.T_GET_ID);

    private final int code;

    BlkRequestType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

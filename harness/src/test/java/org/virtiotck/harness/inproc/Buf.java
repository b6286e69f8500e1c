package org.virtiotck.harness.inproc;

/** A buffer a test driver places in a descriptor: guest address, length, device-writable or not. */
record Buf(long addr, long len, boolean writable) {

    static Buf readable(long addr, long len) {
        return new Buf(addr, len, false);
    }

    static Buf writable(long addr, long len) {
        return new Buf(addr, len, true);
    }
}

package org.virtiotck.harness.inproc;

/** The configuration registers of one queue, plus the live queue built from them once the driver enables it. */
final class QueueRegisters {
    int num;
    long descArea;
    long driverArea;
    long deviceArea;
    boolean ready;
    /** Built when QueueReady goes to 1 with a usable layout; null otherwise. */
    DeviceQueue live;
    /** Set once the driver broke this queue; it is not processed again until a device reset. */
    boolean broken;

    void clear() {
        num = 0;
        descArea = 0;
        driverArea = 0;
        deviceArea = 0;
        ready = false;
        live = null;
        broken = false;
    }

    static long withLow(long address, long low32) {
        return address & 0xffff_ffff_0000_0000L | low32 & 0xffff_ffffL;
    }

    static long withHigh(long address, long high32) {
        return address & 0xffff_ffffL | high32 << 32;
    }
}

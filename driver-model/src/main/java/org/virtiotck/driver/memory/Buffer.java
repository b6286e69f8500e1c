package org.virtiotck.driver.memory;

/** A buffer the driver hands to the device: where it is, how long, and whether the device may write it. */
public record Buffer(long address, int length, boolean deviceWritable) {

    public long end() {
        return address + length;
    }

    public boolean contains(long gpa) {
        return gpa >= address && gpa < end();
    }
}

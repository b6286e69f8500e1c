package org.virtiotck.driver.ring.split;

/** One entry of the split used ring, as the device wrote it: both fields are 32 bits (§2.7.8). */
public record UsedElement(long id, long len) {
}

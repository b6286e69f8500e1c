package org.virtiotck.driver.ring;

/** A chain the device returned in the used ring, with the len it reported there. */
public record Completion(Chain chain, long usedLen) {
}

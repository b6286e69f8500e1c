package org.virtiotck.driver.ring;

/**
 * A chain the device returned, with the len it reported. {@code inferred} marks a chain that an in-order device
 * returned as part of a batch without a used entry of its own (§2.7.9, §2.8.8): the spec then takes it as used
 * completely, so {@code usedLen} is all of its device-writable bytes.
 */
public record Completion(Chain chain, long usedLen, boolean inferred) {

    public Completion(Chain chain, long usedLen) {
        this(chain, usedLen, false);
    }

    public static Completion inferred(Chain chain) {
        return new Completion(chain, chain.writableBytes(), true);
    }
}

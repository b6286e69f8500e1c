package org.virtiotck.harness.inproc;

/**
 * Makes an in-process device for a target string such as {@code inproc:blk}. Registered through
 * {@link java.util.ServiceLoader}; see {@link InprocDevices}.
 */
public interface InprocDeviceProvider {

    /** The name used in target strings, e.g. "blk"; unique among providers. */
    String name();

    /** True for this project's correct reference devices; false for deliberately faulty test devices. */
    boolean reference();

    /** A fresh device in its initial state. */
    VirtioDevice create();
}

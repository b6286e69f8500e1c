package org.virtiotck.harness.session;

/**
 * The source behind an entropy device (VIRTIO 1.2 §5.4), under a probe's control: how many bytes it lets
 * through, and which bytes the device handed out, so that a probe can check that the buffers hold exactly the
 * bytes served and that the device waits, rather than completing a request with nothing, when the source runs
 * dry. Any target may implement it: the in-process rng directly, a QEMU target over the rng backend's socket.
 *
 * <p>A source starts unlimited. Once {@link #starve()} has limited it, each {@link #supply} lets that many more
 * bytes through; requests wait for them.
 */
public interface EntropySource {

    /**
     * Lets {@code bytes} more bytes through (on top of what is left from earlier supplies), and lets the device
     * serve requests that waited. No effect while the source is unlimited.
     */
    void supply(long bytes);

    /** Lets nothing more through until the next {@link #supply} or {@link #unlimited}; bytes not yet served are withdrawn. */
    void starve();

    /** Serves every request at once again, as a fresh source does. */
    void unlimited();

    /**
     * The bytes the device took from the source since the previous call, in the order it took them. Each byte
     * went to the driver in some buffer, so the bytes of the used buffers, in completion order, are exactly these.
     */
    byte[] drainProvided();
}

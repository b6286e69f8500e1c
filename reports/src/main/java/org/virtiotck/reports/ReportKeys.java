package org.virtiotck.reports;

/**
 * Keys of the JUnit report entries a probe invocation publishes, read back by {@link ConformanceListener}.
 * The probe extension publishes them once per invocation, after the probe body ran.
 */
public final class ReportKeys {
    /** The target variant the invocation ran against, e.g. "inproc:blk?transport=mmio&amp;ring=split". */
    public static final String TARGET = "virtio.target";
    /** The device type the invocation drove: "blk", "net", "console", "rng". */
    public static final String DEVICE = "virtio.device";
    /** How the device was reached: "mmio", "pci" or "vhost-user". */
    public static final String TRANSPORT = "virtio.transport";
    /** The ring layout: "split" or "packed". */
    public static final String RING = "virtio.ring";
    /** The verdict name ({@link Verdict}); absent means: derive it from the JUnit result. */
    public static final String VERDICT = "virtio.verdict";
    /** What was expected and what the device did, for FAIL and WEDGED; the reason for SKIP. */
    public static final String DETAIL = "virtio.detail";
    /** The section the invocation checked, when it differs from {@link Clause#section()} (packed rings). */
    public static final String SECTION = "virtio.section";
    /** A one-line command that reruns exactly this invocation. */
    public static final String REPRODUCE = "virtio.reproduce";
    /**
     * What the driver did during a FAIL, WEDGED or KNOWN invocation, one numbered event a line: chains made
     * available with their descriptors and ring positions, used entries with their len, notifications, status
     * writes, vhost-user messages. Bounded by the driver model's trace; absent for other verdicts.
     */
    public static final String TRACE = "virtio.trace";

    private ReportKeys() {
    }
}

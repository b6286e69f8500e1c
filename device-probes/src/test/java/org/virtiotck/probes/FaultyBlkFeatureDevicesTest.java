package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;

/**
 * Probe power of the blk feature, configuration, segment-limit, read-only and range-command probes: each FAILs on its clause
 * against the reference blk device with one deviation planted (faulty/FaultyBlkFeatureDevices), and PASSes on the
 * reference device it was planted in ({@code blk}, or {@code blk-ro} for the read-only faults). Arguments: fault,
 * probe, section, reference device.
 */
class FaultyBlkFeatureDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("no-flush", "blk.BlkFeatureProbes#configWceComesWithFlush", "5.2.5.2", "blk"),
                Arguments.of("writeback-one", "blk.BlkFeatureProbes#writebackStartsAtZeroWithoutFlush", "5.2.5.2", "blk"),
                Arguments.of("dirty-padding", "blk.BlkFeatureProbes#paddingReadsZero", "5.2.5.2", "blk"),
                Arguments.of("ro-status-ok", "blk.BlkReadOnlyProbes#outIsIoerr", "5.2.6.2", "blk-ro"),
                Arguments.of("ro-writes-through", "blk.BlkReadOnlyProbes#outLeavesDiskUnchanged", "5.2.6.2", "blk-ro"),
                Arguments.of("ignores-range-flags", "blk.BlkRangeProbes#discardWithUnknownFlagIsUnsupp", "5.2.6.2", "blk"),
                Arguments.of("ignores-range-flags", "blk.BlkRangeProbes#writeZeroesWithUnknownFlagIsUnsupp", "5.2.6.2", "blk"),
                Arguments.of("ignores-range-flags", "blk.BlkRangeProbes#secureEraseWithUnknownFlagIsUnsupp", "5.2.6.2", "blk"),
                Arguments.of("discard-takes-unmap", "blk.BlkRangeProbes#discardWithUnmapIsUnsupp", "5.2.6.2", "blk"),
                Arguments.of("zeroes-nothing", "blk.BlkRangeProbes#writeZeroesReadsBackZeroes", "5.2.6.2", "blk"),
                Arguments.of("zeroes-nothing", "blk.BlkRangeProbes#writeZeroesWithUnmapReadsBackZeroes", "5.2.6.2", "blk"),
                Arguments.of("seg-max-overstated", "blk.BlkSegmentLimitProbes#inWithSegMaxSegmentsIsServed", "5.2.3", "blk"),
                Arguments.of("size-max-overstated", "blk.BlkSegmentLimitProbes#inWithOneSegmentOfSizeMaxIsServed", "5.2.3",
                        "blk"),
                Arguments.of("seg-max-exclusive", "blk.BlkSegmentLimitProbes#inWithSegMaxSegmentsIsServed", "5.2.3", "blk"),
                Arguments.of("size-max-exclusive", "blk.BlkSegmentLimitProbes#inWithOneSegmentOfSizeMaxIsServed", "5.2.3",
                        "blk"),
                Arguments.of("range-limits-overstated", "blk.BlkRangeProbes#discardAtItsLimitsIsServed", "5.2.3", "blk"),
                Arguments.of("range-limits-overstated", "blk.BlkRangeProbes#writeZeroesAtItsLimitsIsServed", "5.2.3", "blk"),
                Arguments.of("range-limits-overstated", "blk.BlkRangeProbes#secureEraseAtItsLimitsIsServed", "5.2.3", "blk"),
                Arguments.of("zeroes-nothing", "blk.BlkRangeProbes#writeZeroesAtItsLimitsIsServed", "5.2.3", "blk"),
                Arguments.of("short-capacity", "blk.BlkRangeProbes#writeZeroesOfLastSectorReadsBackZeroes", "5.2.6.2", "blk"),
                Arguments.of("ignores-capacity", "blk.BlkRangeProbes#writeZeroesStraddlingEndIsIoerr", "5.2.6", "blk"),
                Arguments.of("writeback-ignored", "blk.BlkFeatureProbes#writebackReadsBackTheModeSet", "5.2.5", "blk"),
                Arguments.of("ro-not-enforced", "blk.BlkReadOnlyProbes#writeZeroesIsIoerrAndChangesNothing", "5.2.6.2",
                        "blk-ro"));
    }

    /** SHOULD clauses: FAIL in the matrix, and a failed test under -Dstrict. */
    static Stream<Arguments> shouldFaults() {
        return Stream.of(Arguments.of("no-flush", "blk.BlkFeatureProbes#offersFlush", "5.2.5.2", "blk"));
    }

    private static String target(String device) {
        return "inproc:" + device + "?transport=mmio&ring=split&timeout=300ms";
    }

    private static String failure(String probe, String target, boolean strict) {
        List<Event> failed = ProbeRun.of(probe, target, strict).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-blk-{0}")
    @MethodSource("faults")
    void probeFailsOnItsClause(String fault, String probe, String section, String reference) {
        String faulty = "faulty-blk-" + fault;
        String message = failure(probe, target(faulty), false);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:" + faulty), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference {3}")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String fault, String probe, String section, String reference) {
        ProbeRun.of(probe, target(reference), false).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs under strict on faulty-blk-{0}")
    @MethodSource("shouldFaults")
    void shouldProbeFailsOnItsClauseUnderStrict(String fault, String probe, String section, String reference) {
        String message = failure(probe, target("faulty-blk-" + fault), true);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
    }

    @ParameterizedTest(name = "{1} PASSes under strict on the reference {3}")
    @MethodSource("shouldFaults")
    void shouldProbePassesOnTheReferenceDevice(String fault, String probe, String section, String reference) {
        ProbeRun.of(probe, target(reference), true).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    /** The reference devices have no lifetime metrics, so they must not offer LIFETIME: the probe SKIPs there. */
    @Test
    void lifetimeProbeFailsOnAReservedValueAndSkipsOnTheReferenceDevice() {
        String probe = "blk.BlkLifetimeProbes#lifetimeHasNoReservedValue";
        String message = failure(probe, target("faulty-blk-reserved-lifetime"), false);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §5.2.6.2 "), message);
        assertTrue(message.contains("pre_eol_info"), message);
        ProbeRun.of(probe, target("blk"), false).testEvents().assertStatistics(s -> s.succeeded(0).failed(0).aborted(1));
    }

    /** The read-only probes SKIP on a writable device instead of judging it. */
    @Test
    void readOnlyProbesSkipOnAWritableDevice() {
        ProbeRun.ofClass("blk.BlkReadOnlyProbes", target("blk"), true).testEvents()
                .assertStatistics(s -> s.succeeded(0).failed(0).aborted(3));
    }
}

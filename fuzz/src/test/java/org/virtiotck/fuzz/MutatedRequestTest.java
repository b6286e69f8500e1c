package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Every mutation kind, applied to the status descriptor of a one-sector read, takes effect: the reference device,
 * which refuses every malformed request, refuses exactly the kinds that break the request in the variant's ring
 * layout and serves the others, and runs every one clean.
 */
class MutatedRequestTest {
    private static final FuzzRequest READ = new BlkFuzzRequest(BlkRequestType.IN, 0, 1, List.of(), false);
    /** Still well-formed: an empty or shorter status buffer, a buffer at the very end of guest memory. */
    private static final Set<MutationKind> SERVED = EnumSet.of(MutationKind.LEN_ZERO, MutationKind.LEN_SHORT,
            MutationKind.ADDR_AT_END);
    /** Split: packed kinds change nothing, and a table may hold an entry its chain does not use. */
    private static final Set<MutationKind> SERVED_SPLIT = EnumSet.of(MutationKind.OTHER_LAP, MutationKind.USED_BITS,
            MutationKind.TABLE_LEN_PLUS_ENTRY);
    /** Packed: the avail idx kinds change nothing. */
    private static final Set<MutationKind> SERVED_PACKED = EnumSet.of(MutationKind.AVAIL_IDX_AHEAD,
            MutationKind.AVAIL_IDX_BACK);

    @TestFactory
    Stream<DynamicTest> theReferenceRefusesExactlyTheMalformedKindsAndRunsEveryOneClean() {
        return Stream.of("split", "packed").flatMap(ring -> Stream.of(MutationKind.values()).map(kind ->
                DynamicTest.dynamicTest(kind + " on " + ring, () -> check(ring, kind))));
    }

    private static void check(String ring, MutationKind kind) {
        TargetVariant variant = FuzzHook.variant("inproc:blk?transport=mmio&ring=" + ring);
        boolean packed = ring.equals("packed");
        boolean wellFormed = SERVED.contains(kind) || (packed ? SERVED_PACKED : SERVED_SPLIT).contains(kind);
        DeviceFuzz fuzz = DeviceFuzzes.of(DeviceType.BLK).orElseThrow();
        try (Session session = Sessions.open(variant)) {
            VirtioDriver driver = new VirtioDriver(session.transport(), session.allocator(), variant.timeout(),
                    variant.policy());
            Findings out = new Findings();
            MutatedRequest.Result r = MutatedRequest.run(driver, fuzz, fuzz.attach(session),
                    FeatureSet.of(Feature.INDIRECT_DESC), new Mutation(READ, kind, 2, 0), 0, out);
            assertEquals(List.of(), out.list());
            assertEquals(wellFormed, r.used(), kind + (wellFormed ? " is well-formed" : " is malformed") + " on a " + ring + " ring");
        }
    }
}

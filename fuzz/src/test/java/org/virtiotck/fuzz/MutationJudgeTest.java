package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.Feature;

/**
 * Each part of the judgement of a mutated request ({@link MutatedRequest}) fails a device that breaks it, on a
 * hand-made case of one mutation, and the reference device runs the same case clean.
 */
class MutationJudgeTest {
    private static final FuzzRequest READ = new BlkFuzzRequest(BlkRequestType.IN, 0, 1, List.of(), false);
    private static final FuzzRequest FLUSH = new BlkFuzzRequest(BlkRequestType.FLUSH, 0, 1, List.of(), false);

    private static void assertFound(String target, FuzzRequest request, MutationKind kind, int at, String oracle,
                                    String detail) {
        assertFound(target, List.of(), request, kind, at, oracle, detail);
    }

    private static void assertFound(String target, List<Feature> features, FuzzRequest request, MutationKind kind,
                                    int at, String oracle, String detail) {
        FuzzCase c = new FuzzCase(features, List.of(new Batch(List.of(), new Mutation(request, kind, at, 0))));
        List<FuzzFinding> found = FuzzRegression.replay(target, c);
        assertTrue(found.stream().anyMatch(f -> f.request() == 0 && f.oracle().equals(oracle) && f.detail().contains(detail)),
                "a [" + oracle + "] finding on the mutated request: " + found);
        assertEquals(List.of(), FuzzRegression.replay(FuzzerPowerTest.REFERENCE, c), "the reference runs " + c + " clean");
    }

    /**
     * With INDIRECT_DESC negotiated, the status buffer read as a table is allocated device-readable, so a device
     * writing it is caught; without it, INDIRECT means nothing to the device, and writing the buffer is no finding.
     */
    @Test
    void aBufferWithIndirectIsReadable() {
        assertFound(IgnoresIndirectBlk.TARGET, List.of(Feature.INDIRECT_DESC), READ, MutationKind.FLIP_INDIRECT, 2,
                "driver", "WRITE_TO_READABLE");
        FuzzCase without = new FuzzCase(List.of(), List.of(new Batch(List.of(),
                new Mutation(READ, MutationKind.FLIP_INDIRECT, 2, 0))));
        assertTrue(FuzzRegression.replay(IgnoresIndirectBlk.TARGET, without).stream()
                .noneMatch(f -> f.detail().contains("WRITE_TO_READABLE")), "without INDIRECT_DESC the flag is no table");
    }

    /** Guest memory past the allocator's buffers is watched: the device may not write where a buffer straddles the end. */
    @Test
    void memoryPastTheBuffersIsWatched() {
        assertFound(ClampsToGuestMemoryBlk.TARGET, READ, MutationKind.ADDR_STRADDLING_END, 2, "mutation",
                "beyond the allocated buffers");
    }

    /** Used len is bounded by the writable bytes the mutated chain names (here the one status byte at the end). */
    @Test
    void usedLenIsBoundedByTheWritableBytes() {
        assertFound(UsedLenWithReadableBlk.TARGET, FLUSH, MutationKind.ADDR_AT_END, 1, "used-len", "names 1 device-writable");
    }

    @Test
    void atMostOneUsedEntry() {
        assertFound(ReturnsTwiceBlk.TARGET, FLUSH, MutationKind.ADDR_AT_END, 1, "used-id", "moved by 2");
    }
}

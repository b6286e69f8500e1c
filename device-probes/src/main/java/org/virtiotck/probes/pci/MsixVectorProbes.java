package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.*;
import static org.virtiotck.probes.pci.PciFunction.hex;

import java.util.function.IntPredicate;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * MSI-X vector mapping through config_msix_vector and queue_msix_vector, and the vector count Table Size reports
 * (VIRTIO 1.2 §4.1.5.1.2.1). What a mapping must read back holds whether or not the function has an MSI-X
 * capability: without one, or for a vector beyond its table, no mapping can succeed, and a failed mapping reads
 * NO_VECTOR.
 */
class MsixVectorProbes {

    /** Number of MSI-X vectors (Table Size + 1), or 0 without an MSI-X capability. */
    private static int vectors(PciFunction pci) {
        return pci.msix().map(Msix::vectors).orElse(0);
    }

    /** Writes {@code vector} to config_msix_vector and to queue_msix_vector of every queue. */
    private static void mapAll(PciFunction pci, int vector) {
        pci.common.write(CONFIG_MSIX_VECTOR, 2, vector);
        for (int q = 0; q < pci.numQueues(); q++) {
            pci.selectQueue(q);
            pci.common.write(QUEUE_MSIX_VECTOR, 2, vector);
        }
    }

    /** Checks what config_msix_vector and each queue_msix_vector read against {@code allowed}. */
    private static void readsAll(PciFunction pci, String after, String expected, IntPredicate allowed) {
        int config = (int) pci.common.read(CONFIG_MSIX_VECTOR, 2);
        Check.that(allowed.test(config), "config_msix_vector " + after, expected, hex(config));
        for (int q = 0; q < pci.numQueues(); q++) {
            int v = pci.queueField(q, QUEUE_MSIX_VECTOR);
            Check.that(allowed.test(v), "queue_msix_vector of queue " + q + " " + after, expected, hex(v));
        }
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "config_msix_vector and queue_msix_vector read the mapped vector, or NO_VECTOR",
            level = Level.MUST)
    void vectorReadsMappedOrNoVector(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        for (int vector : new int[] {0, 1}) {
            mapAll(pci, vector);
            readsAll(pci, "after mapping vector " + vector, hex(vector) + " or NO_VECTOR (0xffff)",
                    v -> v == vector || v == NO_VECTOR);
        }
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "a failed vector mapping reads back as NO_VECTOR", level = Level.MUST)
    void impossibleMappingReadsNoVector(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        int vectors = vectors(pci);
        // Vector numbers run 0..Table Size; the first one past the table cannot be mapped, nor can any without MSI-X.
        int invalid = vectors == 0 ? 0 : vectors;
        mapAll(pci, invalid);
        readsAll(pci, "after mapping vector " + invalid + (vectors == 0 ? " without an MSI-X capability"
                : " of a " + vectors + "-entry MSI-X table"), "NO_VECTOR (0xffff)", v -> v == NO_VECTOR);
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "a reset unmaps every queue and configuration change event", level = Level.MUST)
    void resetUnmapsEveryEvent(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        mapAll(pci, 0);
        session.driver().reset();
        readsAll(pci, "after vector 0 was mapped and the device reset", "NO_VECTOR (0xffff)", v -> v == NO_VECTOR);
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "MSI-X capable device supports between 2 and 0x800 vectors", level = Level.SHOULD)
    void vectorCountInRange(Session session) {
        PciFunction pci = PciFunction.of(session);
        Assumptions.assumeTrue(pci.msix().isPresent(), "the function has no MSI-X capability");
        int vectors = vectors(pci);
        Check.that(vectors >= 2, "MSI-X Table Size + 1", "2 to 0x800 vectors", String.valueOf(vectors));
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "any event can be unmapped from its MSI-X vector", level = Level.MUST)
    void unmapReadsNoVector(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        mapAll(pci, 0);
        mapAll(pci, NO_VECTOR);
        readsAll(pci, "after writing NO_VECTOR there", "NO_VECTOR (0xffff)", v -> v == NO_VECTOR);
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "any event can be mapped to any valid MSI-X vector", level = Level.MUST)
    void everyValidVectorMaps(Session session) {
        PciFunction pci = PciFunction.of(session);
        Assumptions.assumeTrue(pci.msix().isPresent(), "the function has no MSI-X capability: no vector is valid");
        session.driver().reset();
        int vectors = vectors(pci);
        for (int vector = 0; vector < vectors; vector++) {
            int v = vector;
            mapAll(pci, v);
            readsAll(pci, "after mapping vector " + v + " of a " + vectors + "-entry MSI-X table", hex(v), x -> x == v);
        }
    }

    /** Checks that {@code bytes} from the placement's offset lie inside the memory BAR it names. */
    private static void fitsItsBar(Msix.Placement p, long bytes, String what) {
        Check.that(p.barSize() > 0 && p.offset() + bytes <= p.barSize(), what + " at offset " + hex(p.offset())
                + " of BAR " + p.bar(), "inside that memory BAR", p.barSize() == 0 ? "BAR " + p.bar()
                + " is no usable memory BAR" : "it ends at " + hex(p.offset() + bytes) + ", the BAR is " + hex(p.barSize())
                + " bytes");
    }

    @Probe
    @Clause(section = "4.1.5.1.2.1", label = "MSI-X Table Size reports the number of vectors the device supports",
            level = Level.MUST)
    void tableSizeIsTheVectorCount(Session session) {
        PciFunction pci = PciFunction.of(session);
        Msix capability = pci.requireMsix();
        int n = capability.vectors();
        String reported = n + " vectors (Table Size " + (n - 1) + ")";
        fitsItsBar(capability.table(), (long) n * Msix.ENTRY_SIZE, "the MSI-X table of " + reported);
        fitsItsBar(capability.pba(), (n + 63) / 64 * 8L, "the Pending Bit Array of " + reported);
        // Each vector reported must work: the request queue mapped to it, a completed request sends its message.
        for (int vector = 0; vector < n; vector++) {
            Workload w = PciFunction.prepareNotifying(session);
            Msix msix = pci.enableMsix(session);
            int q = w.queue().index();
            int mapped = pci.transport.mapQueueVector(q, vector);
            Check.equal("queue_msix_vector of queue " + q + " after mapping vector " + vector + " of the " + reported,
                    hex(vector), hex(mapped));
            w.driver().driverOk();
            PciFunction.completeOneRequest(w);
            Check.that(PciFunction.awaitMessage(msix, vector, w.driver().deadline()), "MSI-X messages after a request "
                    + "completed on queue " + q + " mapped to vector " + vector + " of the " + reported,
                    "vector " + vector + "'s message (its table entry's data written to its address)",
                    "none within the deadline");
        }
    }
}

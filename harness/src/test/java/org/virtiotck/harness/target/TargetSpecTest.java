package org.virtiotck.harness.target;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetSpecTest {

    @Test
    void inprocAloneMeansEveryReferenceDevice() {
        var variants = TargetSpec.parse("inproc").variants();
        assertEquals(1, variants.size());
        assertEquals("inproc:blk?transport=mmio&ring=split", variants.get(0).canonical());
    }

    @Test
    void optionsAreParsedAndKeptInTheCanonicalForm() {
        TargetVariant v = TargetSpec.parse(" inproc:blk?timeout=250ms&transport=mmio ").variants().get(0);
        assertEquals(Duration.ofMillis(250), v.timeout());
        assertEquals(v, TargetSpec.parse(v.canonical()).variants().get(0));
        assertEquals(Duration.ofMinutes(2), TargetSpec.parse("inproc?timeout=2m").variants().get(0).timeout());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"bogus", "inproc:nosuchdevice", "inproc:", "inproc:blk?", "inproc:blk?ring=packed",
            "inproc:blk?transport=pci", "inproc:blk?colour=red", "inproc:blk?timeout=5", "inproc:blk?timeout=0s",
            "inproc:blk?timeout=99999m", "inproc:blk?timeout", "inproc:blk?ring=split&ring=split",
            "vhost-user:/tmp/x.sock", "qemu:blk", "   "})
    void badTargetsGiveOneLineNamingTheProblemAndTheAcceptedForms(String target) {
        TargetException e = assertThrows(TargetException.class, () -> TargetSpec.parse(target));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad target: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Accepted: " + TargetSpec.acceptedForms()), e.getMessage());
        assertEquals(0, e.getStackTrace().length, "user input errors carry no stack trace");
    }
}

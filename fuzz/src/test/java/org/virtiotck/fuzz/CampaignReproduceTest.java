package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.harness.junit.Reproducer;

/** A round's reproduce line: the Maven command, or from the command-line jar the jar with the fuzz run alone. */
class CampaignReproduceTest {
    private final VariantFuzz.Round round = new VariantFuzz.Round("inproc:blk?transport=mmio&ring=split", "42", 7,
            Optional.empty(), Optional.empty());

    @AfterEach
    void clear() {
        System.clearProperty(Reproducer.JAR_PROPERTY);
    }

    @Test
    void underMavenItIsTheMavenCommand() {
        assertEquals("mvn verify -pl fuzz -Dtarget='inproc:blk?transport=mmio&ring=split' -Dfuzz.seed=42 -Dfuzz.tries=7",
                Campaign.reproduce(round));
    }

    @Test
    void fromTheJarItIsTheJarWithTheFuzzRunOnly() {
        System.setProperty(Reproducer.JAR_PROPERTY, "virtio-tck.jar");
        assertEquals("java -jar virtio-tck.jar --target 'inproc:blk?transport=mmio&ring=split' --only fuzz --seed 42"
                + " --fuzz-tries 7", Campaign.reproduce(round));
    }
}

package org.virtiotck.harness.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

class ReproducerTest {
    private final TargetVariant variant = TargetSpec.parse("inproc:rng?transport=mmio&ring=split").variants().get(0);

    @AfterEach
    void clear() {
        System.clearProperty(Reproducer.JAR_PROPERTY);
    }

    void someProbe() {
    }

    private Method probe() throws NoSuchMethodException {
        return ReproducerTest.class.getDeclaredMethod("someProbe");
    }

    @Test
    void underMavenItIsTheMavenCommand() throws NoSuchMethodException {
        assertEquals("mvn verify -Dtarget='" + variant.canonical() + "' -Dit.test='ReproducerTest#someProbe'",
                Reproducer.command(variant, probe()));
    }

    @Test
    void fromTheJarItRerunsTheJarWithThatProbeOnly() throws NoSuchMethodException {
        System.setProperty(Reproducer.JAR_PROPERTY, "build/virtio-tck.jar");
        assertEquals("java -jar build/virtio-tck.jar --target '" + variant.canonical()
                + "' --only 'ReproducerTest#someProbe'", Reproducer.command(variant, probe()));
    }
}

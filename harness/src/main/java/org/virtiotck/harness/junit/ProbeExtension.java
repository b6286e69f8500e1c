package org.virtiotck.harness.junit;

import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Runs each {@link Probe} once per variant of the configured target ({@code virtio.target}, as a JUnit
 * configuration parameter or system property) whose device the probe is about.
 */
public final class ProbeExtension implements TestTemplateInvocationContextProvider {
    public static final String TARGET_PARAMETER = "virtio.target";
    public static final String STRICT_PARAMETER = "virtio.strict";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(Probe.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String target = context.getConfigurationParameter(TARGET_PARAMETER).orElse(TargetSpec.DEFAULT);
        TargetSpec spec = TargetSpec.parse(target);
        Method probe = context.getRequiredTestMethod();
        ForDevice only = probe.isAnnotationPresent(ForDevice.class) ? probe.getAnnotation(ForDevice.class)
                : probe.getDeclaringClass().getAnnotation(ForDevice.class);
        boolean strict = context.getConfigurationParameter(STRICT_PARAMETER)
                .map(v -> v.isEmpty() || v.equals("true")).orElse(false);
        List<TargetVariant> matching = spec.variants().stream()
                .filter(v -> only == null || Sessions.deviceType(v) == only.value())
                .toList();
        if (matching.isEmpty()) {
            DeviceType wanted = only.value();
            return Stream.of(new NoDeviceInvocation(target, wanted));
        }
        KnownDeviations known = KnownDeviations.load(context.getConfigurationParameter(KnownDeviations.PARAMETER).orElse(""));
        return matching.stream().map(v -> new VariantInvocation(v, strict, known));
    }
}

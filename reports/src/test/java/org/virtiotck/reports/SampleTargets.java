package org.virtiotck.reports;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test stand-in for the harness extension: runs a probe template once per target listed in {@link OnTargets},
 * hands it the target as a String parameter and publishes the target and reproduce command, as the harness does.
 */
public class SampleTargets implements TestTemplateInvocationContextProvider {
    static final String MMIO = "inproc:blk?transport=mmio&ring=split";
    static final String PCI = "inproc:blk?transport=pci&ring=packed";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface OnTargets {
        String[] value();
    }

    static String reproduce(String probe, String target) {
        return "mvn verify -pl device-probes -Dit.test=" + probe + " -Dtarget='" + target + "'";
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String[] targets = context.getRequiredTestMethod().getAnnotation(OnTargets.class).value();
        return Arrays.stream(targets).map(SampleTargets::invocation);
    }

    private static TestTemplateInvocationContext invocation(String target) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + invocationIndex + "] " + target;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new TargetResolver(target), (BeforeEachCallback) context -> context.publishReportEntry(Map.of(
                        ReportKeys.TARGET, target,
                        ReportKeys.REPRODUCE, reproduce(context.getRequiredTestClass().getSimpleName() + "#"
                                + context.getRequiredTestMethod().getName(), target))));
            }
        };
    }

    private record TargetResolver(String target) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
            return parameter.getParameter().getType() == String.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
            return target;
        }
    }
}

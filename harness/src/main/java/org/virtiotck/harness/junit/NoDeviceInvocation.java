package org.virtiotck.harness.junit;

import java.util.List;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.reports.ReportKeys;
import org.virtiotck.reports.Verdict;

/** The single invocation of a probe whose device type the target does not have: it ends in SKIP, saying why. */
record NoDeviceInvocation(String target, DeviceType wanted) implements TestTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
        return "[no " + wanted.lowerName() + " device in " + target + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(new Skipper());
    }

    private final class Skipper implements ParameterResolver, InvocationInterceptor {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return true;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return null;
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                ReflectiveInvocationContext<java.lang.reflect.Method> call, ExtensionContext context) {
            invocation.skip();
            String reason = "target " + target + " has no " + wanted.lowerName() + " device";
            context.publishReportEntry(ReportKeys.TARGET, target);
            context.publishReportEntry(ReportKeys.DEVICE, wanted.lowerName());
            context.publishReportEntry(ReportKeys.VERDICT, Verdict.SKIP.name());
            context.publishReportEntry(ReportKeys.DETAIL, reason);
            throw new TestAbortedException(reason);
        }
    }
}

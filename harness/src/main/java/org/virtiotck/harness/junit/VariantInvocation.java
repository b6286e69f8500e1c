package org.virtiotck.harness.junit;

import java.util.List;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetVariant;

/** One run of a probe against one target variant: a fresh session, and a verdict at the end. */
record VariantInvocation(TargetVariant variant, boolean strict, KnownDeviations known) implements TestTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
        return "[" + variant.label() + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(new SessionResolver(variant), new VerdictInterceptor(variant, strict, known));
    }
}

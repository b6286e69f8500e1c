package org.virtiotck.reports;

import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;

import java.lang.reflect.Method;
import java.util.Optional;

/** The @{@link Clause}-annotated Java method behind a test identifier; {@code name} is "SimpleClassName#method". */
public record ProbeMethod(String name, ClauseKey clause) {

    /**
     * Empty unless the identifier's source is a method carrying @Clause. The listener sees every test of the run,
     * including ones whose class cannot be loaded here, so any resolution problem just means "not a probe".
     */
    public static Optional<ProbeMethod> of(TestIdentifier identifier) {
        return identifier.getSource()
                .filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast)
                .flatMap(ProbeMethod::resolve);
    }

    private static Optional<ProbeMethod> resolve(MethodSource source) {
        try {
            Class<?> type = Class.forName(source.getClassName(), false, Thread.currentThread().getContextClassLoader());
            Optional<Method> method = ReflectionSupport.findMethod(type, source.getMethodName(), source.getMethodParameterTypes());
            return method.map(m -> m.getAnnotation(Clause.class))
                    .map(clause -> new ProbeMethod(type.getSimpleName() + "#" + source.getMethodName(), ClauseKey.of(clause)));
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }
}

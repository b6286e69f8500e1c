package org.virtiotck.harness.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetVariant;

/** Opens the session a probe asks for; JUnit closes it when the invocation ends, whatever the outcome. */
final class SessionResolver implements ParameterResolver {
    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SessionResolver.class);

    private final TargetVariant variant;

    SessionResolver(TargetVariant variant) {
        this.variant = variant;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Session.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent("session", k -> new OpenSession(Sessions.open(variant)), OpenSession.class)
                .session();
    }

    /** Lets the JUnit store close the session. */
    record OpenSession(Session session) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            session.close();
        }
    }

    static Session current(ExtensionContext context) {
        OpenSession open = context.getStore(NAMESPACE).get("session", OpenSession.class);
        return open == null ? null : open.session();
    }
}

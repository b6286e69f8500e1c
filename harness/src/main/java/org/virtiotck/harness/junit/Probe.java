package org.virtiotck.harness.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a conformance probe: a method taking a {@link org.virtiotck.harness.session.Session} that runs once per
 * target variant of {@code -Dtarget} (restricted by {@link ForDevice} on the class) and ends in a verdict.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(ProbeExtension.class)
public @interface Probe {
}

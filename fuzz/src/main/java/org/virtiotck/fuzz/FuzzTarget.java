package org.virtiotck.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The target a fuzz property runs its cases against ({@link FuzzHook} runs them there); without it, the one
 * variant {@code -Dfuzz.variant} names.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FuzzTarget {
    String value();
}

package org.virtiotck.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The target string a fuzz property runs its plans against; {@link SaveShrunkPlan} records it with a failure. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface FuzzTarget {
    String value();
}

package org.virtiotck.reports;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The spec clause a probe checks. {@code section} is the section number in the named spec version
 * (for example "2.7.8.1" in VIRTIO 1.2); {@code label} is our own short wording of the requirement.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Clause {
    String spec() default "1.2";

    String section();

    /**
     * Where a ring clause stands for packed virtqueues, when {@link #section()} is the split-ring one; empty
     * when the clause is the same section for both layouts.
     */
    String packedSection() default "";

    String label();

    Level level();
}

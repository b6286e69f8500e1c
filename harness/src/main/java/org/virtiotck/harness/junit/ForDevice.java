package org.virtiotck.harness.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.virtiotck.driver.feature.DeviceType;

/**
 * The device type a probe (or every probe of a class) is about; a probe without it, on itself or its class,
 * runs against every device.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ForDevice {
    DeviceType value();
}

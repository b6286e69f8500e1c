package org.virtiotck.harness.inproc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Guest memory that runs a driver action right after the device's first release store to one address: a
 * driver on another CPU that publishes a buffer just as the device asks to be notified of the next one.
 */
final class RacingMemory {
    private RacingMemory() {
    }

    static GuestMemory after(GuestMemory memory, long watched, Runnable driver) {
        boolean[] fired = {false};
        return (GuestMemory) Proxy.newProxyInstance(GuestMemory.class.getClassLoader(),
                new Class<?>[] {GuestMemory.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("putU16Release") && (long) args[0] == watched && !fired[0]) {
                        fired[0] = true;
                        driver.run();
                    }
                    return result;
                });
    }
}

package org.virtiotck.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system properties a run sets (the probes' extension, the report listener and the fuzz run read their
 * settings there, as Maven passes them), put back as they were when it ends, so that runs in one JVM (the
 * command-line tests) do not leak into each other.
 */
final class SystemProperties implements AutoCloseable {
    private final Map<String, String> saved = new LinkedHashMap<>();

    SystemProperties set(String key, String value) {
        if (!saved.containsKey(key)) {
            saved.put(key, System.getProperty(key));
        }
        System.setProperty(key, value);
        return this;
    }

    @Override
    public void close() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}

package org.virtiotck.reports;

import java.nio.file.Path;

/** Where the report goes and whether SHOULD clauses are enforced, as the build passed them in system properties. */
public record ReportSettings(Path outputDir, boolean strict) {
    /** Output directory; defaults to {@link #DEFAULT_OUT} under the working directory (the module being verified). */
    public static final String OUT_PROPERTY = "virtio.tck.out";
    /** "true", or present with no value (plain -Dvirtio.strict), turns strict mode on. */
    public static final String STRICT_PROPERTY = "virtio.strict";
    public static final String DEFAULT_OUT = "target/virtio-tck";

    public static ReportSettings fromSystemProperties() {
        String strict = System.getProperty(STRICT_PROPERTY);
        Path out = Path.of(System.getProperty(OUT_PROPERTY, DEFAULT_OUT)).toAbsolutePath();
        return new ReportSettings(out, "true".equals(strict) || "".equals(strict));
    }
}

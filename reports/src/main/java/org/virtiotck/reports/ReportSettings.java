package org.virtiotck.reports;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where the report goes, whether SHOULD clauses are enforced and which files to write, as the build (or the
 * command line) passed them in system properties.
 */
public record ReportSettings(Path outputDir, boolean strict, Set<ReportFormat> formats) {
    /** Output directory; defaults to {@link #DEFAULT_OUT} under the working directory (the module being verified). */
    public static final String OUT_PROPERTY = "virtio.tck.out";
    /** "true", or present with no value (plain -Dvirtio.strict), turns strict mode on. */
    public static final String STRICT_PROPERTY = "virtio.strict";
    public static final String DEFAULT_OUT = "target/virtio-tck";
    /** A comma list of {@link ReportFormat} names; absent or blank: all of them. */
    public static final String FORMATS_PROPERTY = "virtio.tck.formats";

    public ReportSettings {
        formats = Set.copyOf(formats);
    }

    /** Every format: what a Maven run writes. */
    public ReportSettings(Path outputDir, boolean strict) {
        this(outputDir, strict, EnumSet.allOf(ReportFormat.class));
    }

    public static ReportSettings fromSystemProperties() {
        String strict = System.getProperty(STRICT_PROPERTY);
        Path out = Path.of(System.getProperty(OUT_PROPERTY, DEFAULT_OUT)).toAbsolutePath();
        return new ReportSettings(out, "true".equals(strict) || "".equals(strict),
                ReportFormat.parseList(System.getProperty(FORMATS_PROPERTY)));
    }
}

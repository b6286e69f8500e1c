package org.virtiotck.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.regex.Pattern;

/**
 * How the reproduce line names this jar: the path it was started from, relative to the working directory when
 * it lies below it, so that the line can be pasted where the run was started; {@code virtio-tck.jar} when the
 * classes do not come from a jar (the module's own tests).
 */
final class JarName {
    static final String DEFAULT = "virtio-tck.jar";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+-]+");

    private JarName() {
    }

    static String ofThisJar() {
        CodeSource source = JarName.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return DEFAULT;
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                return DEFAULT;
            }
            Path cwd = Path.of("").toAbsolutePath();
            Path shown = jar.startsWith(cwd) ? cwd.relativize(jar) : jar;
            return quoted(shown.toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return DEFAULT;
        }
    }

    /** The path as a shell word: as it is when it needs no quoting, else in single quotes. */
    static String quoted(String path) {
        return PLAIN.matcher(path).matches() ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}

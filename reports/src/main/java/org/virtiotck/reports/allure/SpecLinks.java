package org.virtiotck.reports.allure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a clause's section stands in the spec source, for the link on each Allure result. VIRTIO 1.2 links go to
 * the heading's line in the LaTeX source of the OASIS virtio-spec repository at the release tag v1.2-cs01: a tag
 * does not move, so neither do its line numbers, and unlike the anchors of the published HTML (generated ids such
 * as x1-270006) a line follows from the section number. The table section → file and line is made from that tag
 * by scripts/spec-sections. Clauses of QEMU's vhost-user document (spec "7.2") link to that file at QEMU's v7.2.0
 * tag; the document has no numbered headings to point at.
 */
public final class SpecLinks {
    static final String VIRTIO_SOURCE = "https://github.com/oasis-tcs/virtio-spec/blob/v1.2-cs01/";
    static final String VHOST_USER_DOC = "https://github.com/qemu/qemu/blob/v7.2.0/docs/interop/vhost-user.rst";
    private static final String TABLE = "/org/virtiotck/reports/spec-sections-1.2.tsv";
    private static final SpecLinks STANDARD = load();

    /** A heading: the file and line it starts on, and the title for chapters (empty below them). */
    record Heading(String file, int line, String title) {
    }

    private final Map<String, Heading> headings;

    private SpecLinks(Map<String, Heading> headings) {
        this.headings = headings;
    }

    public static SpecLinks standard() {
        return STANDARD;
    }

    /** The link to a section of a spec, when the spec is one we know and the section exists in it. */
    public Optional<AllureResult.Link> link(String spec, String section) {
        if ("1.2".equals(spec)) {
            Heading h = headings.get(section);
            return h == null ? Optional.empty() : Optional.of(new AllureResult.Link("VIRTIO 1.2 §" + section,
                    VIRTIO_SOURCE + h.file() + "#L" + h.line(), "link"));
        }
        if ("7.2".equals(spec)) {
            return Optional.of(new AllureResult.Link("vhost-user (QEMU 7.2) " + section, VHOST_USER_DOC, "link"));
        }
        return Optional.empty();
    }

    /** "Chapter 2 Basic Facilities of a Virtio Device" for any section of VIRTIO 1.2's chapter 2. */
    public Optional<String> chapter(String spec, String section) {
        if (!"1.2".equals(spec)) {
            return Optional.empty();
        }
        String number = section.split("\\.", 2)[0];
        Heading h = headings.get(number);
        return h == null ? Optional.empty() : Optional.of("Chapter " + number + " " + h.title());
    }

    private static SpecLinks load() {
        Map<String, Heading> table = new HashMap<>();
        try (InputStream in = SpecLinks.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TABLE + " is missing from the reports jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t", -1);
                table.put(f[0], new Heading(f[1], Integer.parseInt(f[2]), f.length > 3 ? f[3] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SpecLinks(Map.copyOf(table));
    }
}

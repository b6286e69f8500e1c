package org.virtiotck.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The device-side requirements of the spec that probes can be tied to, one JSON file per area under
 * {@value #RESOURCE_DIR} (core, pci, mmio, net, blk, console, rng, vhost-user for QEMU's vhost-user protocol, and robustness for malformed requests a device must survive). Every @{@link Clause} a probe declares must name
 * a catalogued clause with the same section, label and level; the report counts per area how many catalogued
 * clauses a run covered.
 *
 * <p>A file is {@code {"area", "title", "spec", "note"?, "clauses": [{"section", "level", "label", "note"?}]}}.
 * Loading checks it strictly: the area matches the file name, no unknown fields, sections are dotted numbers,
 * levels MUST or SHOULD, labels short single lines, and no section and label twice in the whole catalogue.
 */
public final class ClauseCatalogue {
    /** Class-path directory of the standard catalogue. */
    public static final String RESOURCE_DIR = "virtio-tck/catalogue/";
    /** Areas of the standard catalogue, in report order; each is the file {@code <area>.json}. */
    public static final List<String> AREAS = List.of("core", "pci", "mmio", "net", "blk", "console", "rng", "vhost-user",
            "robustness");
    /** Longest label accepted. Labels are meant to stay near 100 characters. */
    public static final int MAX_LABEL = 120;
    /** A catalogue with no area: nothing is catalogued and nothing is checked. */
    public static final ClauseCatalogue EMPTY = new ClauseCatalogue(List.of());

    private static final Pattern SECTION = Pattern.compile("[1-9][0-9]*(\\.[0-9]+)*");
    private static final Pattern SPEC = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern AREA = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Set<String> FILE_FIELDS = Set.of("area", "title", "spec", "note", "clauses");
    private static final Set<String> CLAUSE_FIELDS = Set.of("section", "level", "label", "note");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Object STANDARD_LOCK = new Object();
    private static ClauseCatalogue standard;
    private static CatalogueException standardProblem;

    /** One file of the catalogue. {@code note} may be null. */
    public record Area(String key, String title, String spec, String note, List<CatalogueClause> clauses) {
    }

    /** A catalogued clause together with the area (file) it is listed in. */
    public record Entry(Area area, CatalogueClause clause) {
    }

    private record Key(String spec, String section, String label) {
    }

    private final List<Area> areas;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    private ClauseCatalogue(List<Area> areas) {
        this.areas = List.copyOf(areas);
        for (Area area : this.areas) {
            for (CatalogueClause clause : area.clauses()) {
                entries.put(new Key(area.spec(), clause.section(), clause.label()), new Entry(area, clause));
            }
        }
    }

    /**
     * The catalogue shipped in this jar, loaded once.
     *
     * @throws CatalogueException if a file is missing or invalid (the reports self-tests keep that from shipping)
     */
    public static ClauseCatalogue standard() {
        synchronized (STANDARD_LOCK) {
            if (standard == null && standardProblem == null) {
                try {
                    standard = loadStandard();
                } catch (CatalogueException e) {
                    standardProblem = e;
                }
            }
            if (standardProblem != null) {
                throw standardProblem;
            }
            return standard;
        }
    }

    private static ClauseCatalogue loadStandard() {
        List<Source> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String area : AREAS) {
            String name = area + ".json";
            // This class's loader: the listener may run with a context loader that cannot see our resources.
            try (InputStream in = ClauseCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    problems.add(name + ": missing from the class path (" + RESOURCE_DIR + name + ")");
                } else {
                    sources.add(new Source(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                problems.add(name + ": cannot be read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogueException(problems);
        }
        return parse(sources);
    }

    /** Loads every {@code *.json} file of a directory, in file name order. */
    public static ClauseCatalogue load(Path dir) throws IOException {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                sources.add(new Source(file.getFileName().toString(), Files.readString(file)));
            }
        }
        if (sources.isEmpty()) {
            throw new CatalogueException(List.of(dir + ": no *.json catalogue file"));
        }
        return parse(sources);
    }

    /** A catalogue file's name (which gives its area) and its text. */
    public record Source(String fileName, String json) {
    }

    /**
     * Parses and checks catalogue files.
     *
     * @throws CatalogueException listing every problem found in every file
     */
    public static ClauseCatalogue parse(List<Source> sources) {
        List<String> problems = new ArrayList<>();
        List<Area> areas = new ArrayList<>();
        Map<Key, String> seen = new LinkedHashMap<>();
        for (Source source : sources) {
            Area area = parseFile(source, problems);
            if (area == null) {
                continue;
            }
            if (areas.stream().anyMatch(a -> a.key().equals(area.key()))) {
                problems.add(source.fileName() + ": area \"" + area.key() + "\" is already defined by another file");
                continue;
            }
            for (CatalogueClause clause : area.clauses()) {
                Key key = new Key(area.spec(), clause.section(), clause.label());
                String where = source.fileName() + " §" + clause.section() + " \"" + clause.label() + "\"";
                String earlier = seen.putIfAbsent(key, where);
                if (earlier != null) {
                    problems.add(where + ": duplicate section and label, already listed as " + earlier);
                }
            }
            areas.add(area);
        }
        if (!problems.isEmpty()) {
            throw new CatalogueException(problems);
        }
        return new ClauseCatalogue(areas);
    }

    private static Area parseFile(Source source, List<String> problems) {
        String file = source.fileName();
        int before = problems.size();
        JsonNode root;
        try {
            root = MAPPER.readTree(source.json());
        } catch (JsonProcessingException e) {
            problems.add(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add(file + ": must hold one JSON object {\"area\", \"title\", \"spec\", \"clauses\"}");
            return null;
        }
        unknownFields(root, FILE_FIELDS, file, problems);
        String stem = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        String area = text(root, "area", file, true, problems);
        if (area != null && !area.equals(stem)) {
            problems.add(file + ": area \"" + area + "\" does not match the file name (expected \"" + stem + "\")");
        } else if (area != null && !AREA.matcher(area).matches()) {
            problems.add(file + ": area \"" + area + "\" must be lower-case letters, digits and dashes");
        }
        String title = text(root, "title", file, true, problems);
        String spec = text(root, "spec", file, true, problems);
        if (spec != null && !SPEC.matcher(spec).matches()) {
            problems.add(file + ": spec \"" + spec + "\" is not a spec version such as \"1.2\"");
        }
        String note = text(root, "note", file, false, problems);
        JsonNode clauses = root.get("clauses");
        List<CatalogueClause> parsed = new ArrayList<>();
        if (clauses == null || !clauses.isArray() || clauses.isEmpty()) {
            problems.add(file + ": \"clauses\" must be a non-empty array");
        } else {
            for (int i = 0; i < clauses.size(); i++) {
                CatalogueClause clause = parseClause(clauses.get(i), file + " clause " + (i + 1), problems);
                if (clause != null) {
                    parsed.add(clause);
                }
            }
        }
        return problems.size() > before ? null : new Area(area, title, spec, note, List.copyOf(parsed));
    }

    private static CatalogueClause parseClause(JsonNode node, String where, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + ": must be an object {\"section\", \"level\", \"label\", \"note\"?}");
            return null;
        }
        int before = problems.size();
        JsonNode rawSection = node.get("section");
        JsonNode rawLabel = node.get("label");
        if (rawSection != null && rawSection.isTextual()) {
            where = where + " (§" + rawSection.asText()
                    + (rawLabel != null && rawLabel.isTextual() ? " \"" + rawLabel.asText() + "\"" : "") + ")";
        }
        String section = text(node, "section", where, true, problems);
        String label = text(node, "label", where, true, problems);
        unknownFields(node, CLAUSE_FIELDS, where, problems);
        String levelText = text(node, "level", where, true, problems);
        String note = text(node, "note", where, false, problems);
        if (section != null && !SECTION.matcher(section).matches()) {
            problems.add(where + ": section \"" + section + "\" is not a section number such as \"2.7.8.2\"");
        }
        Level level = null;
        if (levelText != null) {
            try {
                level = Level.valueOf(levelText);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": level \"" + levelText + "\" must be MUST or SHOULD"
                        + " (MUST NOT is MUST, SHOULD NOT is SHOULD; MAY is not a requirement)");
            }
        }
        if (label != null) {
            if (label.length() > MAX_LABEL) {
                problems.add(where + ": label has " + label.length() + " characters, at most " + MAX_LABEL
                        + " allowed: say the one requirement in our own short words");
            }
            if (!label.equals(label.strip()) || label.contains("\n")) {
                problems.add(where + ": label must be one line without leading or trailing blanks");
            }
        }
        return problems.size() > before ? null : new CatalogueClause(section, level, label, note);
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                problems.add(where + ": unknown field \"" + name + "\" (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A non-blank string field; null (with a problem recorded when required) if absent or not a string. */
    private static String text(JsonNode node, String field, String where, boolean required, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(where + ": missing \"" + field + "\"");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(where + ": \"" + field + "\" must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    public List<Area> areas() {
        return areas;
    }

    public boolean isEmpty() {
        return areas.isEmpty();
    }

    /** Number of catalogued clauses over all areas. */
    public int size() {
        return entries.size();
    }

    public Optional<Entry> find(String spec, String section, String label) {
        return Optional.ofNullable(entries.get(new Key(spec, section, label)));
    }

    /** Every catalogued clause of one section, in catalogue order. */
    public List<Entry> inSection(String spec, String section) {
        return entries.values().stream()
                .filter(e -> e.area().spec().equals(spec) && e.clause().section().equals(section))
                .toList();
    }

    /**
     * Why a declared clause does not match the catalogue, or empty when the catalogue lists it with the same
     * section, label and level.
     */
    public Optional<String> problem(ClauseKey key) {
        Optional<Entry> entry = find(key.spec(), key.section(), key.label());
        if (entry.isPresent()) {
            Level catalogued = entry.get().clause().level();
            return catalogued == key.level() ? Optional.empty()
                    : Optional.of("the catalogue lists it as " + catalogued + ", the probe declares " + key.level());
        }
        if (areas.stream().noneMatch(a -> a.spec().equals(key.spec()))) {
            return Optional.of("the catalogue has no clause of VIRTIO " + key.spec());
        }
        return Optional.of("not in the clause catalogue");
    }

    /**
     * Problems of every section a @{@link Clause} names (its section, and its packed-ring section if any), each
     * as "§section [LEVEL] label: problem", followed by the labels catalogued in that section as a hint.
     */
    public List<String> problems(Clause clause) {
        List<String> problems = new ArrayList<>();
        for (ClauseKey key : ClauseKey.declared(clause)) {
            problem(key).ifPresent(p -> {
                StringBuilder line = new StringBuilder("§" + key.section() + " [" + key.level() + "] \"" + key.label() + "\": " + p);
                List<Entry> near = inSection(key.spec(), key.section());
                if (!near.isEmpty() && !p.startsWith("the catalogue lists it as")) {
                    line.append("; catalogued in §").append(key.section()).append(":");
                    near.stream().sorted(Comparator.comparing(e -> e.clause().level()))
                            .forEach(e -> line.append("\n      [").append(e.clause().level()).append("] \"")
                                    .append(e.clause().label()).append('"'));
                }
                problems.add(line.toString());
            });
        }
        return problems;
    }
}

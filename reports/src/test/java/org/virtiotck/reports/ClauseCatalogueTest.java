package org.virtiotck.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClauseCatalogueTest {

    private static final String GOOD_CLAUSE = "{\"section\": \"2.1\", \"level\": \"MUST\", \"label\": \"status reads back\"}";

    private static String file(String area, String... clauses) {
        return "{\"area\": \"" + area + "\", \"title\": \"T\", \"spec\": \"1.2\", \"clauses\": [" + String.join(", ", clauses) + "]}";
    }

    private static ClauseCatalogue.Source source(String name, String json) {
        return new ClauseCatalogue.Source(name, json);
    }

    private static CatalogueException rejected(ClauseCatalogue.Source... sources) {
        return assertThrows(CatalogueException.class, () -> ClauseCatalogue.parse(List.of(sources)));
    }

    // --- the standard catalogue ---

    @Test
    void standardCatalogueHasEveryAreaInReportOrder() {
        ClauseCatalogue catalogue = ClauseCatalogue.standard();
        assertEquals(ClauseCatalogue.AREAS, catalogue.areas().stream().map(ClauseCatalogue.Area::key).toList());
        for (ClauseCatalogue.Area area : catalogue.areas()) {
            // vhost-user numbers QEMU 7.2's vhost-user.rst (see its note); every other area is VIRTIO 1.2.
            assertEquals(area.key().equals("vhost-user") ? "7.2" : "1.2", area.spec(), area.key());
            assertFalse(area.clauses().isEmpty(), area.key());
            assertFalse(area.title().isBlank(), area.key());
        }
        assertTrue(catalogue.size() > 200, "catalogued clauses: " + catalogue.size());
        assertTrue(catalogue == ClauseCatalogue.standard(), "loaded once");
    }

    @Test
    void standardCatalogueKnowsTheClausesTheSpecNumbersAnchor() {
        ClauseCatalogue catalogue = ClauseCatalogue.standard();
        assertAll(
                () -> assertEquals("core", area(catalogue, "2.7.8.2", "used len never exceeds the bytes the device wrote")),
                () -> assertEquals("core", area(catalogue, "2.8.15", "device does not write device-readable buffers")),
                () -> assertEquals("mmio", area(catalogue, "4.2.2.1", "MagicValue reads 0x74726976")),
                () -> assertEquals("blk", area(catalogue, "5.2.6", "unknown request type completes with UNSUPP")),
                () -> assertEquals("core", area(catalogue, "6.2", "device offers VERSION_1")));
    }

    /** Labels stay short, and each area keeps to its own chapter (core also holds §6; robustness the rings and blk requests). */
    @Test
    void standardCatalogueLabelsAreShortAndSectionsSitInTheirArea() {
        Map<String, String> prefixes = Map.of("core", "2.|3.|6.", "pci", "4.1.|6.", "mmio", "4.2.", "net", "5.1.",
                "blk", "5.2.", "console", "5.3.", "rng", "5.4.", "vhost-user", "1.|2.|3.|4.", "robustness", "2.7.|2.8.|5.2.6.");
        for (ClauseCatalogue.Area area : ClauseCatalogue.standard().areas()) {
            for (CatalogueClause clause : area.clauses()) {
                String where = area.key() + " §" + clause.section() + " " + clause.label();
                assertTrue(clause.label().length() <= 100, where);
                assertTrue(List.of(prefixes.get(area.key()).split("\\|")).stream()
                        .anyMatch(p -> (clause.section() + ".").startsWith(p)), where);
            }
        }
    }

    private static String area(ClauseCatalogue catalogue, String section, String label) {
        return catalogue.find("1.2", section, label).orElseThrow(() -> new AssertionError(section + " " + label)).area().key();
    }

    // --- loading and rejecting files ---

    @Test
    void loadsEveryJsonFileOfADirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("core.json"), file("core", GOOD_CLAUSE,
                "{\"section\": \"2.2.2\", \"level\": \"SHOULD\", \"label\": \"accepts subsets\", \"note\": \"n\"}"));
        Files.writeString(dir.resolve("blk.json"), file("blk", "{\"section\": \"5.2.6\", \"level\": \"MUST\", \"label\": \"IOERR\"}"));
        Files.writeString(dir.resolve("README.txt"), "not a catalogue file");

        ClauseCatalogue catalogue = ClauseCatalogue.load(dir);
        assertEquals(List.of("blk", "core"), catalogue.areas().stream().map(ClauseCatalogue.Area::key).toList());
        assertEquals(3, catalogue.size());
        assertEquals(new CatalogueClause("2.2.2", Level.SHOULD, "accepts subsets", "n"),
                catalogue.find("1.2", "2.2.2", "accepts subsets").orElseThrow().clause());
    }

    @Test
    void anEmptyDirectoryIsRejected(@TempDir Path dir) {
        CatalogueException e = assertThrows(CatalogueException.class, () -> ClauseCatalogue.load(dir));
        assertTrue(e.getMessage().contains("no *.json catalogue file"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid JSON            | {"area": "core", "clauses": [                                                          | core.json: not valid JSON
            not an object           | [1, 2]                                                                                 | core.json: must hold one JSON object
            area mismatch           | {"area": "blk", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": "x"}]} | core.json: area "blk" does not match the file name (expected "core")
            missing title           | {"area": "core", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": "x"}]} | core.json: missing "title"
            bad spec                | {"area": "core", "title": "T", "spec": "v1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": "x"}]} | core.json: spec "v1.2" is not a spec version
            unknown file field      | {"area": "core", "title": "T", "spec": "1.2", "clause": []}                            | core.json: unknown field "clause"
            no clauses              | {"area": "core", "title": "T", "spec": "1.2", "clauses": []}                           | core.json: "clauses" must be a non-empty array
            level MAY               | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MAY", "label": "x"}]} | core.json clause 1 (§2.1 "x"): level "MAY" must be MUST or SHOULD
            level MUST NOT          | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST NOT", "label": "x"}]} | (MUST NOT is MUST, SHOULD NOT is SHOULD
            section with letters    | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.7.x", "level": "MUST", "label": "x"}]} | core.json clause 1 (§2.7.x "x"): section "2.7.x" is not a section number
            section with a sign     | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "§2.1", "level": "MUST", "label": "x"}]} | section "§2.1" is not a section number
            section as a number     | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": 2.1, "level": "MUST", "label": "x"}]} | core.json clause 1: "section" must be a non-empty string
            missing label           | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST"}]} | core.json clause 1 (§2.1): missing "label"
            blank label             | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": " "}]} | "label" must be a non-empty string
            padded label            | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": "x "}]} | label must be one line without leading or trailing blanks
            misspelt clause field   | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "lable": "x"}]} | unknown field "lable" (allowed: label, level, note, section)
            clause not an object    | {"area": "core", "title": "T", "spec": "1.2", "clauses": ["2.1"]}                      | core.json clause 1: must be an object
            duplicate in one file   | {"area": "core", "title": "T", "spec": "1.2", "clauses": [{"section": "2.1", "level": "MUST", "label": "x"}, {"section": "2.1", "level": "SHOULD", "label": "x"}]} | core.json §2.1 "x": duplicate section and label, already listed as core.json §2.1 "x"
            """)
    void aBadFileIsRejectedWithAMessageNamingFileAndClause(String what, String json, String expected) {
        CatalogueException e = rejected(source("core.json", json));
        assertTrue(e.getMessage().contains(expected), () -> what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("clause catalogue is invalid:"), e.getMessage());
    }

    @Test
    void aTooLongLabelIsRejected() {
        String label = "x".repeat(ClauseCatalogue.MAX_LABEL + 1);
        CatalogueException e = rejected(source("core.json", file("core",
                "{\"section\": \"2.1\", \"level\": \"MUST\", \"label\": \"" + label + "\"}")));
        assertTrue(e.getMessage().contains("label has 121 characters, at most 120 allowed"), e.getMessage());
    }

    @Test
    void aDuplicateAcrossFilesNamesBothFiles() {
        CatalogueException e = rejected(source("core.json", file("core", GOOD_CLAUSE)), source("pci.json", file("pci", GOOD_CLAUSE)));
        assertEquals(List.of("pci.json §2.1 \"status reads back\": duplicate section and label, already listed as core.json §2.1 \"status reads back\""),
                e.problems());
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnce() {
        CatalogueException e = rejected(
                source("core.json", file("core", "{\"section\": \"x\", \"level\": \"MAY\", \"label\": \"a\"}",
                        "{\"section\": \"2.1\", \"level\": \"MUST\"}")),
                source("blk.json", "{"));
        assertEquals(4, e.problems().size(), e.getMessage());
    }

    @Test
    void theSameLabelInTwoSectionsIsFine() {
        ClauseCatalogue catalogue = ClauseCatalogue.parse(List.of(source("core.json", file("core",
                "{\"section\": \"2.7.5.1\", \"level\": \"MUST\", \"label\": \"no write to readable\"}",
                "{\"section\": \"2.8.15\", \"level\": \"MUST\", \"label\": \"no write to readable\"}"))));
        assertEquals(2, catalogue.size());
    }

    // --- lookups ---

    private static final ClauseCatalogue SMALL = ClauseCatalogue.parse(List.of(source("core.json", file("core",
            "{\"section\": \"2.7.5.1\", \"level\": \"MUST\", \"label\": \"no write to readable\"}",
            "{\"section\": \"2.7.5.1\", \"level\": \"SHOULD\", \"label\": \"no read of writable\"}",
            "{\"section\": \"2.8.15\", \"level\": \"MUST\", \"label\": \"no write to readable\"}",
            "{\"section\": \"2.7.8.2\", \"level\": \"MUST\", \"label\": \"len not above written\"}"))));

    @Test
    void aDeclaredClauseMatchesOnlyWithTheSameSectionLabelAndLevel() {
        assertEquals(Optional.empty(), SMALL.problem(new ClauseKey("1.2", "2.7.5.1", "no write to readable", Level.MUST)));
        assertEquals(Optional.of("the catalogue lists it as MUST, the probe declares SHOULD"),
                SMALL.problem(new ClauseKey("1.2", "2.7.5.1", "no write to readable", Level.SHOULD)));
        assertEquals(Optional.of("not in the clause catalogue"),
                SMALL.problem(new ClauseKey("1.2", "2.7.5.1", "no write to readble", Level.MUST)));
        assertEquals(Optional.of("the catalogue has no clause of VIRTIO 1.3"),
                SMALL.problem(new ClauseKey("1.3", "2.7.5.1", "no write to readable", Level.MUST)));
        assertEquals(List.of("no write to readable", "no read of writable"),
                SMALL.inSection("1.2", "2.7.5.1").stream().map(e -> e.clause().label()).toList());
    }

    @Clause(section = "2.7.5.1", packedSection = "2.8.15", label = "no write to readable", level = Level.MUST)
    void catalogued() {
    }

    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "len not above written", level = Level.MUST)
    void packedTwinMissing() {
    }

    @Clause(section = "2.7.5.1", label = "no read of writable", level = Level.MUST)
    void wrongLevel() {
    }

    @Clause(section = "2.7.5.1", label = "device reads no writable buffer", level = Level.SHOULD)
    void ownWording() {
    }

    private static Clause clause(String method) throws NoSuchMethodException {
        return ClauseCatalogueTest.class.getDeclaredMethod(method).getAnnotation(Clause.class);
    }

    @Test
    void problemsOfAnAnnotationCoverBothSectionsAndHintAtTheCataloguedLabels() throws NoSuchMethodException {
        assertEquals(List.of(), SMALL.problems(clause("catalogued")));
        assertEquals(List.of("§2.8.4 [MUST] \"len not above written\": not in the clause catalogue"),
                SMALL.problems(clause("packedTwinMissing")));
        assertEquals(List.of("§2.7.5.1 [MUST] \"no read of writable\": the catalogue lists it as SHOULD, the probe declares MUST"),
                SMALL.problems(clause("wrongLevel")));
        assertEquals(List.of("§2.7.5.1 [SHOULD] \"device reads no writable buffer\": not in the clause catalogue;"
                        + " catalogued in §2.7.5.1:\n      [MUST] \"no write to readable\"\n      [SHOULD] \"no read of writable\""),
                SMALL.problems(clause("ownWording")));
    }

    @Test
    void levelCountsOfTheStandardCatalogue() {
        // Printed so a reviewer sees the size of each area in the build log.
        Map<String, String> counts = new TreeMap<>();
        for (ClauseCatalogue.Area area : ClauseCatalogue.standard().areas()) {
            Map<Level, Long> byLevel = area.clauses().stream().collect(Collectors.groupingBy(CatalogueClause::level, Collectors.counting()));
            counts.put(area.key(), byLevel.getOrDefault(Level.MUST, 0L) + " MUST / " + byLevel.getOrDefault(Level.SHOULD, 0L) + " SHOULD");
        }
        System.out.println("clause catalogue: " + counts);
        assertEquals(ClauseCatalogue.AREAS.size(), counts.size());
    }
}

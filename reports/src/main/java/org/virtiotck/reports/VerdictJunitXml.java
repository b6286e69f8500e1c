package org.virtiotck.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The matrix as JUnit XML, for CI systems that read that format: one testcase per probe run, with its verdict,
 * clause and target as properties. Failsafe's own XML knows only passed, failed and skipped, so REJECT and KNOWN
 * would read as passed or skipped there; here every verdict is named. A run that fails the build is a
 * {@code <failure>} whose type is its verdict; SKIP, KNOWN and a SHOULD clause's FAIL without strict are
 * {@code <skipped>} with the reason; PASS and REJECT are plain testcases.
 */
final class VerdictJunitXml {
    private VerdictJunitXml() {
    }

    static void write(ConformanceMatrix matrix, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", ConformanceMatrix.TOOL);
            xml.writeAttribute("timestamp", matrix.generated());
            xml.writeAttribute("tests", Integer.toString(matrix.runCount()));
            xml.writeAttribute("failures", Long.toString(count(matrix, Outcome.FAILURE)));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(count(matrix, Outcome.SKIPPED)));
            for (ClauseRow row : matrix.clauses()) {
                for (ProbeRun run : row.probes()) {
                    testcase(xml, row, run, Outcome.of(row, run, matrix.strictFor(run.target())));
                }
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file, e);
        }
    }

    private enum Outcome {
        PASSED, FAILURE, SKIPPED;

        static Outcome of(ClauseRow row, ProbeRun run, boolean strict) {
            return switch (run.verdict()) {
                case PASS, REJECT -> PASSED;
                case FAIL, WEDGED -> row.enforces(run.verdict(), strict) ? FAILURE : SKIPPED;
                case KNOWN, SKIP -> SKIPPED;
            };
        }
    }

    private static long count(ConformanceMatrix matrix, Outcome outcome) {
        return matrix.clauses().stream().flatMap(row -> row.probes().stream()
                .filter(run -> Outcome.of(row, run, matrix.strictFor(run.target())) == outcome)).count();
    }

    private static void testcase(XMLStreamWriter xml, ClauseRow row, ProbeRun run, Outcome outcome)
            throws XMLStreamException {
        int hash = Math.max(0, run.probe().indexOf('#'));
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", run.probe().substring(0, hash));
        xml.writeAttribute("name", run.probe().substring(hash == 0 ? 0 : hash + 1) + " [" + run.target() + "]");
        xml.writeStartElement("properties");
        property(xml, "verdict", run.verdict().name());
        property(xml, "clause", row.spec() + " §" + row.section() + " [" + row.level() + "] " + row.label());
        property(xml, "target", run.target());
        if (run.reproduce() != null) {
            property(xml, "reproduce", run.reproduce());
        }
        xml.writeEndElement();
        String text = (run.detail() == null ? "" : run.detail())
                + (run.reproduce() == null ? "" : "\nreproduce: " + run.reproduce());
        if (outcome == Outcome.FAILURE) {
            xml.writeStartElement("failure");
            xml.writeAttribute("type", run.verdict().name());
            xml.writeAttribute("message", firstLine(run.detail()));
            xml.writeCharacters(text);
            xml.writeEndElement();
        } else if (outcome == Outcome.SKIPPED) {
            xml.writeStartElement("skipped");
            xml.writeAttribute("message", run.verdict() + ": " + firstLine(run.detail()));
            xml.writeEndElement();
        }
        if (!text.isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(run.verdict() + ": " + text);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static String firstLine(String detail) {
        if (detail == null) {
            return "";
        }
        int nl = detail.indexOf('\n');
        return nl < 0 ? detail : detail.substring(0, nl);
    }
}

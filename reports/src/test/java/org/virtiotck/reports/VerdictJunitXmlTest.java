package org.virtiotck.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class VerdictJunitXmlTest {

    private static ProbeResult result(String probe, Level level, Verdict verdict, String detail) {
        return new ProbeResult(new ClauseKey("1.2", "2.7.5", "label of " + probe, level),
                new ProbeRun(probe, probe, "inproc:blk?transport=mmio&ring=split", verdict, detail,
                        detail == null ? null : "mvn verify -Dit.test='" + probe + "'"));
    }

    private static Document written(List<ProbeResult> results, boolean strict, Path dir) throws Exception {
        ConformanceMatrix matrix = ConformanceMatrix.from(results, strict, Instant.EPOCH, ClauseCatalogue.EMPTY);
        Path file = dir.resolve("junit.xml");
        VerdictJunitXml.write(matrix, file);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** testcase name to "VERDICT outcome", where outcome is failure:TYPE, skipped or passed. */
    private static List<String> cases(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String verdict = ((Element) c.getElementsByTagName("property").item(0)).getAttribute("value");
            NodeList failure = c.getElementsByTagName("failure");
            String outcome = failure.getLength() > 0 ? "failure:" + ((Element) failure.item(0)).getAttribute("type")
                    : c.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "passed";
            out.add(c.getAttribute("classname") + "#" + c.getAttribute("name").replaceAll(" \\[.*", "") + " " + verdict
                    + " " + outcome);
        }
        return out;
    }

    @Test
    void everyVerdictIsNamedAndOnlyWhatFailsTheBuildIsAFailure(@TempDir Path dir) throws Exception {
        List<ProbeResult> results = List.of(
                result("A#pass", Level.MUST, Verdict.PASS, null),
                result("A#reject", Level.MUST, Verdict.REJECT, "refused: left unused"),
                result("B#fail", Level.MUST, Verdict.FAIL, "used len: expected 1, device did 2"),
                result("B#should", Level.SHOULD, Verdict.FAIL, "notified early"),
                result("B#wedged", Level.SHOULD, Verdict.WEDGED, "no completion within 5000 ms"),
                result("C#known", Level.MUST, Verdict.KNOWN, "known deviation"),
                result("C#skip", Level.MUST, Verdict.SKIP, "no packed ring"));
        Document doc = written(results, false, dir);
        Element suite = doc.getDocumentElement();
        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("3", suite.getAttribute("skipped"));
        List<String> cases = cases(doc);
        cases.sort(null);
        assertEquals(List.of("A#pass PASS passed", "A#reject REJECT passed", "B#fail FAIL failure:FAIL",
                "B#should FAIL skipped", "B#wedged WEDGED failure:WEDGED", "C#known KNOWN skipped",
                "C#skip SKIP skipped"), cases);
        Element strict = written(results, true, dir).getDocumentElement();
        assertEquals("3", strict.getAttribute("failures"), "-Dstrict: the SHOULD clause's FAIL fails the build too");
        assertEquals("2", strict.getAttribute("skipped"));
    }
}

package org.virtiotck.fuzz;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes two findings of a campaign the same bug: the oracle, the finding's text with addresses and numbers
 * stripped (sectors, offsets, lengths, request indices differ from one shrunk case to the next), and the shape of
 * the request it names in the shrunk case ("net RECEIVE, 3 descriptors"; empty for a finding about the whole case
 * or a mutated request). A known-deviation list matches fuzz findings by this signature.
 */
public record FindingSignature(String oracle, String normalized, String shape) {
    /** The form of {@link FuzzFinding#toString()}. */
    private static final Pattern FINDING = Pattern.compile("(?:run|request -?\\d+) \\[([^\\]]+)\\] (.*)", Pattern.DOTALL);
    private static final Pattern REQUEST = Pattern.compile("request (\\d+) ");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** The signature of one finding line; a line of another form counts as the oracle {@code error}. */
    public static FindingSignature of(String finding) {
        Matcher m = FINDING.matcher(finding.strip());
        return m.matches() ? new FindingSignature(m.group(1), normalize(m.group(2)), "")
                : new FindingSignature("error", normalize(finding.strip()), "");
    }

    /** The signature of {@code finding}, with the shape of the request of {@code shrunk} it names. */
    public static FindingSignature of(String finding, FuzzCase shrunk) {
        FindingSignature s = of(finding);
        Matcher m = REQUEST.matcher(finding.strip());
        return m.lookingAt() ? new FindingSignature(s.oracle, s.normalized, shrunk.shapeOf(Integer.parseInt(m.group(1)))) : s;
    }

    static String normalize(String text) {
        String firstLine = text.lines().findFirst().orElse("").strip();
        return NUMBER.matcher(ADDRESS.matcher(firstLine).replaceAll("#")).replaceAll("#");
    }

    @Override
    public String toString() {
        return "[" + oracle + "] " + normalized + (shape.isEmpty() ? "" : " | " + shape);
    }
}

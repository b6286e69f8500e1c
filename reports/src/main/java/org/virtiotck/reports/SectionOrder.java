package org.virtiotck.reports;

import java.util.Comparator;

/**
 * Orders spec section numbers the way the spec does: component by component, numerically, so "2.7.8.1" comes
 * before "2.10" (a plain string compare would put "2.10" first). A shorter prefix comes first ("2.7" before "2.7.1").
 */
public final class SectionOrder implements Comparator<String> {
    public static final SectionOrder INSTANCE = new SectionOrder();

    private SectionOrder() {
    }

    @Override
    public int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int c = compareComponent(left[i], right[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    private static int compareComponent(String a, String b) {
        if (isNumber(a) && isNumber(b)) {
            // Compared as digit strings rather than parsed, so no component is ever too long to order.
            String x = stripLeadingZeros(a);
            String y = stripLeadingZeros(b);
            return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}

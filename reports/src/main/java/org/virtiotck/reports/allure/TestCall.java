package org.virtiotck.reports.allure;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One finished JUnit test as the Allure results need it, detached from the launcher's types: its Java method,
 * display name, start and stop (epoch milliseconds), and the throwable that ended it, if any.
 */
public record TestCall(String className, String methodName, String displayName, long start, long stop, Throwable thrown) {

    public String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    public String packageName() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** The stack trace of what ended the test, or null. */
    public String stackTrace() {
        if (thrown == null) {
            return null;
        }
        StringWriter w = new StringWriter();
        thrown.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** What ended the test, said in one message, or null. */
    public String message() {
        return thrown == null ? null : thrown.getMessage() != null ? thrown.getMessage() : thrown.toString();
    }
}

package org.virtiotck.harness.qemu;

/**
 * The guest stub took a synchronous exception performing an access (typically an external abort on an address
 * nothing decodes): the access did not happen. ESR and FAR are the stub's report; the stub keeps running.
 */
public final class StubFaultException extends RuntimeException {
    private final long esr;
    private final long far;

    StubFaultException(String access, long esr, long far) {
        super(String.format("guest stub faulted on %s: ESR_EL1 0x%x (exception class 0x%x), FAR_EL1 0x%x",
                access, esr, esr >>> 26 & 0x3f, far));
        this.esr = esr;
        this.far = far;
    }

    public long esr() {
        return esr;
    }

    public long far() {
        return far;
    }
}

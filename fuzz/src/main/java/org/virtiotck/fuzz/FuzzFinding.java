package org.virtiotck.fuzz;

/**
 * What an oracle saw go wrong while a case ran: the index of the request it concerns (-1 for the whole case), the
 * oracle's name (driver, status, data, used-len, used-id, liveness, negotiation, disk, ...) and what the device did.
 */
public record FuzzFinding(int request, String oracle, String detail) {

    @Override
    public String toString() {
        return (request < 0 ? "run" : "request " + request) + " [" + oracle + "] " + detail;
    }
}

package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Findings that differ only in addresses and numbers are one distinct finding; other oracles or texts are not. */
class FindingSignatureTest {

    @Test
    void addressesAndNumbersAreStripped() {
        FindingSignature a = FindingSignature.of(new FuzzFinding(3, "driver",
                "WRITE_OUTSIDE_WRITABLE: 1 byte(s) at 0x40001a2f changed from canary 0xc5 to 00").toString());
        FindingSignature b = FindingSignature.of(new FuzzFinding(0, "driver",
                "WRITE_OUTSIDE_WRITABLE: 2 byte(s) at 0x4000ff10 changed from canary 0xc5 to 0000").toString());
        assertEquals(a, b);
        assertEquals("driver", a.oracle());
        assertEquals("WRITE_OUTSIDE_WRITABLE: # byte(s) at # changed from canary # to #", a.normalized());
    }

    @Test
    void theOracleAndTheWordsCount() {
        FindingSignature status = FindingSignature.of(new FuzzFinding(1, "status", "IN ended IOERR, expected OK").toString());
        FindingSignature data = FindingSignature.of(new FuzzFinding(1, "data", "IN ended IOERR, expected OK").toString());
        FindingSignature other = FindingSignature.of(new FuzzFinding(1, "status", "OUT ended UNSUPP, expected OK").toString());
        assertNotEquals(status, data);
        assertNotEquals(status, other);
        assertEquals(FindingSignature.of(new FuzzFinding(-1, "status", "IN ended IOERR, expected OK").toString()), status);
    }

    @Test
    void aLineOfAnotherFormIsAnError() {
        FindingSignature s = FindingSignature.of("IllegalStateException: session 12 could not open\nat ...");
        assertEquals("error", s.oracle());
        assertEquals("IllegalStateException: session # could not open", s.normalized());
    }
}

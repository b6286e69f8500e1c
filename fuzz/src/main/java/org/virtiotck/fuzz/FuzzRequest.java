package org.virtiotck.fuzz;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One well-formed request of a fuzz case, in the terms of its device type: what it asks for and how its bytes are
 * cut into descriptors. The {@link DeviceFuzz} of the type turns it into buffers and judges what the device did.
 * Saved regressions name the kind in a {@code "kind"} field.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = BlkFuzzRequest.class, name = "blk"),
        @JsonSubTypes.Type(value = NetFuzzRequest.class, name = "net"),
        @JsonSubTypes.Type(value = ConsoleFuzzRequest.class, name = "console"),
        @JsonSubTypes.Type(value = RngFuzzRequest.class, name = "rng")})
public interface FuzzRequest {

    /** Descriptors the request's chain has when laid out directly in the ring. */
    int descriptors();

    /** What kind of request this is, for a finding's signature: device type, direction or type, descriptors. */
    String shape();
}

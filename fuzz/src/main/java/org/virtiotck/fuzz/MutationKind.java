package org.virtiotck.fuzz;

/**
 * What a {@link Mutation} breaks in a well-formed request laid out raw on its queue. "The element" is the
 * request's buffer {@code at} (modulo their count): a descriptor of the ring, or an entry of the indirect table
 * where the request is laid out in one. Kinds that only mean something in the other ring layout change nothing.
 */
public enum MutationKind {
    /** Toggles NEXT on the element: a chain cut short, or one that runs on (split: back to its head). */
    FLIP_NEXT,
    /** Toggles WRITE on the element; its buffer is allocated as what the flag finally says. */
    FLIP_WRITE,
    /** Toggles INDIRECT on the element: a plain buffer to be read as a table (or, in a split table, a nested one). */
    FLIP_INDIRECT,
    /** Split: the element links back to itself or an earlier one (value picks which); packed: NEXT is set. */
    NEXT_CYCLE,
    /** Split: the element links to an index at or beyond the queue (or table) size; packed: NEXT is set. */
    NEXT_BEYOND_SIZE,
    /** The element's len is 0. */
    LEN_ZERO,
    /** The element's len is 2^32 - 1, far past the end of guest memory. */
    LEN_HUGE,
    /** The element's len is one byte shorter; its buffer is allocated that long. */
    LEN_SHORT,
    /** The element's buffer lies just past the end of guest memory. */
    ADDR_OUTSIDE,
    /** The element's buffer starts 8 bytes before the end of guest memory and runs past it. */
    ADDR_STRADDLING_END,
    /** The element's buffer starts 8 bytes before guest memory and runs into it. */
    ADDR_STRADDLING_START,
    /** The element's buffer is the last bytes of guest memory: well-formed, at the edge of the region. */
    ADDR_AT_END,
    /** The request goes in an indirect table whose descriptor overstates its length by half an entry. */
    TABLE_LEN_PLUS_HALF,
    /**
     * The request goes in an indirect table whose descriptor overstates its length by one (zeroed) entry: packed,
     * the device reads it as one more buffer; split, it is an entry the chain does not use, which is well-formed.
     */
    TABLE_LEN_PLUS_ENTRY,
    /** The request goes in an indirect table whose descriptor also has NEXT. */
    TABLE_WITH_NEXT,
    /** The request goes in an indirect table named by the only entry of another table. */
    NESTED_TABLE,
    /** Split: avail idx published more than the queue size ahead. */
    AVAIL_IDX_AHEAD,
    /** Split: avail idx moved back from 0. */
    AVAIL_IDX_BACK,
    /** Packed: the element carries the other lap's AVAIL/USED bits. */
    OTHER_LAP,
    /** Packed: the element carries AVAIL and USED both set, as a used descriptor would. */
    USED_BITS;

    /** Whether the request is laid out in an indirect table whatever it asked for. */
    boolean forcesTable() {
        return this == TABLE_LEN_PLUS_HALF || this == TABLE_LEN_PLUS_ENTRY || this == TABLE_WITH_NEXT
                || this == NESTED_TABLE;
    }
}

package io.rollforward.fake;

/**
 * The two shapes of a gratuitous ARP. Both carry sender IP = target IP = the VIP and go to the
 * Ethernet broadcast address; hosts differ in which one they honour, so we send both (RFC 5227
 * section 3 "ARP Announcement" uses the request form; RFC 5944 section 4.6 allows either; Linux
 * updates an existing neighbour entry on both).
 */
public enum GarpForm {
    /** ARP request (op 1), target hardware address all zero. {@code arping -U}. */
    REQUEST(1),
    /** ARP reply (op 2), target hardware address = our own MAC. {@code arping -A}. */
    REPLY(2);

    private final int opcode;

    GarpForm(int opcode) {
        this.opcode = opcode;
    }

    /** The ARP operation code (RFC 826). */
    public int opcode() {
        return opcode;
    }
}

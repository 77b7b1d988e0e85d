package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;

/** One way of putting a gratuitous ARP on the wire: libpcap or the {@code arping} tool. */
public interface ArpTransmitter extends AutoCloseable {
    /** Sends one gratuitous ARP of the given form; throws {@link io.rollforward.fake.VipException} on failure. */
    void send(GarpForm form);

    /** A short name for logs and status: {@code pcap} or {@code arping}. */
    String kind();

    @Override
    void close();
}

package io.rollforward.fake;

import io.rollforward.fake.internal.ArpTransmitter;
import io.rollforward.fake.internal.ArpingArpTransmitter;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transport choice, with the transports replaced; the real wire is in GratuitousArpNetnsTest. */
class GratuitousArpTest {
    @Test
    void announceSendsRequestThenReplyThroughPcapWhenItLoads() throws Exception {
        RecordingTransmitter pcap = new RecordingTransmitter();
        try (GratuitousArp garp = new GratuitousArp("eth0", vip(), () -> pcap,
                () -> { throw new AssertionError("arping must not be tried when pcap works"); })) {
            assertThat(garp.transport()).isEqualTo("none");
            garp.preflight();
            assertThat(garp.transport()).isEqualTo("test-pcap");
            garp.announce();
        }
        assertThat(pcap.sent).containsExactly(GarpForm.REQUEST, GarpForm.REPLY);
        assertThat(pcap.closed).isTrue();
    }

    @Test
    void neitherTransportIsAClearStartupError() {
        // No libpcap, and an arping that cannot be run at all.
        GratuitousArp garp = new GratuitousArp("eth0", vip(),
                () -> { throw new UnsatisfiedLinkError("Unable to load library 'pcap'"); },
                () -> new ArpingArpTransmitter("eth0", "10.213.0.100", List.of("/nonexistent/rollforward-test-wrapper")));

        assertThatThrownBy(garp::preflight)
                .isInstanceOf(VipException.class)
                .hasMessageContaining("cannot send gratuitous ARP for 10.213.0.100 on 'eth0'")
                .hasMessageContaining("install libpcap0.8")
                .hasMessageContaining("arping fallback does not work");
    }

    @Test
    void pcapErrorOtherThanMissingLibraryIsNotMaskedByFallback() {
        GratuitousArp garp = new GratuitousArp("nosuch0", vip(),
                () -> { throw new VipException("interface 'nosuch0' not found (libpcap does not list it)"); },
                () -> { throw new AssertionError("arping is only for a missing libpcap"); });

        assertThatThrownBy(garp::preflight).isInstanceOf(VipException.class).hasMessageContaining("nosuch0");
    }

    private static Inet4Address vip() {
        try {
            return (Inet4Address) InetAddress.getByName("10.213.0.100");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class RecordingTransmitter implements ArpTransmitter {
        final List<GarpForm> sent = new ArrayList<>();
        boolean closed;

        @Override
        public void send(GarpForm form) {
            sent.add(form);
        }

        @Override
        public String kind() {
            return "test-pcap";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}

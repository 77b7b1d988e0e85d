package io.rollforward.fake;

import io.rollforward.fake.internal.ArpingArpTransmitter;
import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pcap4j.core.Pcaps;

import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Gratuitous ARP on a real link: two namespaces joined by a veth pair. The observer holds a STALE
 * neighbour entry mapping the VIP to a wrong MAC; after the sender announces, the entry must hold
 * the sender's MAC. Each form is checked on its own, through pcap and through arping.
 */
class GratuitousArpNetnsTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private NetnsPair net;

    @BeforeEach
    void setUp() {
        net = NetnsPair.create();
        net.seedObserverNeighbour(NetnsPair.VIP, NetnsPair.WRONG_MAC);
        assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(NetnsPair.WRONG_MAC);
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    @ParameterizedTest
    @EnumSource(GarpForm.class)
    void pcapFormUpdatesObserversNeighbourEntry(GarpForm form) throws Exception {
        assumeLibpcap();
        // The VIP is deliberately NOT assigned on the sender: only our raw frame can move the entry.
        NetnsPair.Child child = net.startJava(net.sender, GarpSendMain.class, List.of(),
                net.senderIf, NetnsPair.VIP, form.name().toLowerCase());
        awaitExit(child, 0);
        assertThat(child.text()).contains("transport=pcap");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(net.senderMac()));
    }

    @ParameterizedTest
    @EnumSource(GarpForm.class)
    void arpingFormUpdatesObserversNeighbourEntry(GarpForm form) {
        assumeArping();
        net.must("ip", "-n", net.sender, "addr", "add", NetnsPair.VIP + "/24", "dev", net.senderIf);
        // The fallback path, forced: the pcap opener fails as it does without libpcap0.8.
        try (GratuitousArp garp = new GratuitousArp(net.senderIf, vip(),
                () -> { throw new UnsatisfiedLinkError("test: libpcap hidden"); },
                () -> new ArpingArpTransmitter(net.senderIf, NetnsPair.VIP,
                        NetnsPair.inNamespace(net.sender)))) {
            garp.preflight();
            assertThat(garp.transport()).isEqualTo("arping");
            garp.send(form);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(net.senderMac()));
        }
    }

    @Test
    void realMissingLibpcapFallsBackToArping() throws Exception {
        assumeArping();
        net.must("ip", "-n", net.sender, "addr", "add", NetnsPair.VIP + "/24", "dev", net.senderIf);
        // Point Pcap4J at a library that does not exist: the JVM throws a genuine UnsatisfiedLinkError.
        NetnsPair.Child child = net.startJava(net.sender, GarpSendMain.class,
                List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap-rollforward-test.so"),
                net.senderIf, NetnsPair.VIP, "request");
        awaitExit(child, 0);
        assertThat(child.text()).contains("transport=arping").contains("libpcap cannot be loaded");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(net.senderMac()));
    }

    @Test
    void vipOwnerAcquireAddsAndAnnouncesReleaseRemoves() throws Exception {
        assumeLibpcap();
        NetnsPair.Child child = net.startJava(net.sender, VipOwnerMain.class, List.of(),
                net.senderIf, NetnsPair.VIP, "24");
        await().atMost(CHILD_TIMEOUT).until(() -> child.text().contains("acquired") || !child.process().isAlive());
        assertThat(child.text()).contains("acquired held=true");
        assertThat(senderHasVip()).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(net.senderMac()));

        try (OutputStream stdin = child.process().getOutputStream()) {
            stdin.write("release\n".getBytes(StandardCharsets.UTF_8));
        }
        awaitExit(child, 0);
        assertThat(child.text()).contains("released held=false");
        assertThat(senderHasVip()).isFalse();
    }

    @Test
    void burstOnTheWireIsCountAnnouncementsOfBothFormsIntervalApart() throws Exception {
        assumeLibpcap();
        assumeArping(); // sends the sentinel that ends the capture
        NetnsPair.Child capture = net.startJava(net.observer, ArpCaptureMain.class, List.of(),
                net.observerIf, NetnsPair.VIP, NetnsPair.OBSERVER_IP);
        await().atMost(CHILD_TIMEOUT).until(() -> capture.text().contains("ready") || !capture.process().isAlive());
        assertThat(capture.text()).contains("ready");

        // VipOwnerMain announces with count=3, interval=100ms.
        NetnsPair.Child owner = net.startJava(net.sender, VipOwnerMain.class, List.of(),
                net.senderIf, NetnsPair.VIP, "24");
        await().atMost(CHILD_TIMEOUT).until(() -> garpLines(capture).size() >= 6 || !owner.process().isAlive());
        // The burst is over after 200ms; give stragglers a full second to show up (they must not).
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> garpLines(capture).size() == 6);
        // End the capture with a sentinel: an ARP from the observer's own address, sent inside the namespace.
        net.must("ip", "netns", "exec", net.observer, "arping", "-c", "1", "-w", "1", "-I", net.observerIf, NetnsPair.SENDER_IP);
        awaitExit(capture, 0);
        try (OutputStream stdin = owner.process().getOutputStream()) {
            stdin.write("release\n".getBytes(StandardCharsets.UTF_8));
        }
        awaitExit(owner, 0);

        String mac = net.senderMac();
        List<String> garps = garpLines(capture);
        System.out.println("captured on the observer:\n" + String.join("\n", garps));
        assertThat(garps).as("3 announcements x 2 forms").hasSize(6);
        assertThat(garps).filteredOn(l -> l.contains("op=1 ")).hasSize(3)
                .allMatch(l -> l.contains("dst=ff:ff:ff:ff:ff:ff sha=" + mac + " tha=00:00:00:00:00:00"));
        assertThat(garps).filteredOn(l -> l.contains("op=2 ")).hasSize(3)
                .allMatch(l -> l.contains("dst=ff:ff:ff:ff:ff:ff sha=" + mac + " tha=" + mac));
        List<Long> requestTimes = garps.stream().filter(l -> l.contains("op=1 "))
                .map(l -> Long.parseLong(l.substring(l.indexOf("us=") + 3))).toList();
        // Packets are scheduled 0, 100, 200ms from one origin and never early, so the last two are
        // >= 200ms after the origin; the first may leave late on a busy machine. A generous bound
        // that still fails if the burst went out all at once:
        assertThat(requestTimes.get(2) - requestTimes.get(0)).isGreaterThanOrEqualTo(100_000L);
        assertThat(requestTimes.get(1)).isLessThan(requestTimes.get(2));
    }

    private static List<String> garpLines(NetnsPair.Child capture) {
        return capture.text().lines().filter(l -> l.startsWith("garp ")).toList();
    }

    private boolean senderHasVip() {
        return net.must("ip", "-n", net.sender, "-o", "addr", "show", "dev", net.senderIf)
                .contains("inet " + NetnsPair.VIP + "/24");
    }

    private static void awaitExit(NetnsPair.Child child, int expected) {
        await().atMost(CHILD_TIMEOUT).until(() -> !child.process().isAlive());
        assertThat(child.process().exitValue()).as("child output:%n%s", child.text()).isEqualTo(expected);
    }

    private static Inet4Address vip() {
        try {
            return (Inet4Address) InetAddress.getByName(NetnsPair.VIP);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assumeLibpcap() {
        boolean loaded;
        String why = "";
        try {
            Pcaps.libVersion();
            loaded = true;
        } catch (LinkageError e) {
            loaded = false;
            why = e.toString();
        }
        assumeTrue(loaded, "needs libpcap (Debian libpcap0.8): " + why);
    }

    static void assumeArping() {
        CommandResult r = CommandRunner.run(Command.of(Duration.ofSeconds(5), "arping", "-V"));
        assumeTrue(r.ok(), "needs iputils-arping: " + r.describe());
    }
}

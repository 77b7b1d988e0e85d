package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import io.rollforward.fake.internal.ArpingArpTransmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * VipOwner in this JVM, its commands run inside the sender namespace (ip and the arping
 * fallback through {@code ip netns exec}). The pcap variant runs in a child JVM in
 * GratuitousArpNetnsTest.
 */
class VipOwnerNetnsTest {
    private NetnsPair net;
    private VipOwner owner;

    @AfterEach
    void tearDown() {
        if (owner != null) {
            owner.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void acquireAndReleaseAreIdempotentAndAnnounce() throws Exception {
        GratuitousArpNetnsTest.assumeArping();
        net = NetnsPair.create();
        net.seedObserverNeighbour(NetnsPair.VIP, NetnsPair.WRONG_MAC);
        owner = ownerInSenderNamespace();
        owner.preflight();

        // Called twice in a row from this (any) thread: one add, one announcer.
        CompletableFuture<Void> first = owner.acquire();
        CompletableFuture<Void> second = owner.acquire();
        second.get(20, TimeUnit.SECONDS);
        assertThat(first).isCompleted();
        assertThat(owner.isHeld()).isTrue();
        assertThat(owner.address().isAssigned()).isTrue();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(net.observerNeighbourMac(NetnsPair.VIP)).isEqualTo(net.senderMac()));

        owner.release().get(20, TimeUnit.SECONDS);
        owner.release().get(20, TimeUnit.SECONDS);
        assertThat(owner.isHeld()).isFalse();
        assertThat(owner.address().isAssigned()).isFalse();
    }

    @Test
    void acquireRepairsAnAddressRemovedBehindOurBack() throws Exception {
        GratuitousArpNetnsTest.assumeArping();
        net = NetnsPair.create();
        owner = ownerInSenderNamespace();
        owner.acquire().get(20, TimeUnit.SECONDS);
        net.must("ip", "-n", net.sender, "addr", "del", NetnsPair.VIP + "/24", "dev", net.senderIf);
        assertThat(owner.address().isAssigned()).isFalse();

        owner.acquire().get(20, TimeUnit.SECONDS);

        assertThat(owner.address().isAssigned()).isTrue();
    }

    @Test
    void failedAcquireCompletesExceptionallyAndHoldsNothing() throws Exception {
        net = NetnsPair.create();
        Inet4Address vip = (Inet4Address) InetAddress.getByName(NetnsPair.VIP);
        VirtualAddress missing = new VirtualAddress("rfnosuch0", vip, 24, NetnsPair.inNamespace(net.sender));
        owner = new VipOwner(missing, new GratuitousArp("rfnosuch0", vip, NetnsPair.inNamespace(net.sender)),
                GarpConfig.DEFAULT);

        assertThatThrownBy(() -> owner.acquire().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(VipException.class).hasMessageContaining("rfnosuch0");
        assertThat(owner.isHeld()).isFalse();
    }

    private VipOwner ownerInSenderNamespace() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName(NetnsPair.VIP);
        VirtualAddress address = new VirtualAddress(net.senderIf, vip, 24, NetnsPair.inNamespace(net.sender));
        // This JVM is outside the namespace, so pcap could not see the interface: force arping there.
        GratuitousArp garp = new GratuitousArp(net.senderIf, vip,
                () -> { throw new UnsatisfiedLinkError("test: pcap unusable outside the namespace"); },
                () -> new ArpingArpTransmitter(net.senderIf, NetnsPair.VIP, NetnsPair.inNamespace(net.sender)));
        return new VipOwner(address, garp, new GarpConfig(3, Duration.ofMillis(100), Duration.ZERO, Duration.ZERO));
    }
}

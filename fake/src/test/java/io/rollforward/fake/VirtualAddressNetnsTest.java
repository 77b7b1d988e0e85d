package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import io.rollforward.config.VipConfig;
import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ip addr add/del} for real, inside a namespace the test owns. */
class VirtualAddressNetnsTest {
    private NetnsPair net;

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void addAndRemoveAreIdempotent() throws Exception {
        net = NetnsPair.create();
        VirtualAddress vip = new VirtualAddress(net.senderIf, InetAddress.getByName(NetnsPair.VIP), 24,
                NetnsPair.inNamespace(net.sender));

        assertThat(vip.isAssigned()).isFalse();
        vip.add();
        assertThat(vip.isAssigned()).isTrue();
        vip.add(); // already there: still success
        assertThat(vip.isAssigned()).isTrue();
        assertThat(net.must("ip", "-n", net.sender, "-o", "addr", "show", "dev", net.senderIf))
                .contains("inet " + NetnsPair.VIP + "/24");

        vip.remove();
        assertThat(vip.isAssigned()).isFalse();
        vip.remove(); // already gone: still success
        assertThat(vip.isAssigned()).isFalse();
        // The interface's own address is untouched.
        assertThat(net.must("ip", "-n", net.sender, "-o", "addr", "show", "dev", net.senderIf))
                .contains("inet " + NetnsPair.SENDER_IP + "/24");
    }

    @Test
    void ipv6AddressIsAddedAndRemovedToo() throws Exception {
        net = NetnsPair.create();
        VirtualAddress vip = new VirtualAddress(net.senderIf, InetAddress.getByName("fd00:213::100"), 64,
                NetnsPair.inNamespace(net.sender));

        vip.add();
        vip.add();
        assertThat(vip.isAssigned()).isTrue();
        vip.remove();
        vip.remove();
        assertThat(vip.isAssigned()).isFalse();
    }

    @Test
    void withoutCapNetAdminTheErrorNamesTheCapability() throws Exception {
        net = NetnsPair.create();
        List<String> withoutNetAdmin = new ArrayList<>(NetnsPair.inNamespace(net.sender));
        withoutNetAdmin.addAll(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-net_admin"));
        assumeTrue(runs("setpriv", "--version"), "needs setpriv (util-linux) to drop CAP_NET_ADMIN");
        VirtualAddress vip = new VirtualAddress(net.senderIf, InetAddress.getByName(NetnsPair.VIP), 24, withoutNetAdmin);

        assertThatThrownBy(vip::add)
                .isInstanceOf(VipException.class)
                .hasMessageContaining("cannot add " + NetnsPair.VIP + "/24 dev " + net.senderIf)
                .hasMessageContaining("Operation not permitted")
                .hasMessageContaining("CAP_NET_ADMIN");
        // Reading still works without the capability, and nothing was added.
        assertThat(vip.isAssigned()).isFalse();
    }

    @Test
    void missingInterfaceIsNamed() throws Exception {
        net = NetnsPair.create();
        VirtualAddress vip = new VirtualAddress("rfnosuch0", InetAddress.getByName(NetnsPair.VIP), 24,
                NetnsPair.inNamespace(net.sender));

        assertThatThrownBy(vip::add).isInstanceOf(VipException.class).hasMessageContaining("no interface 'rfnosuch0'");
        assertThatThrownBy(vip::preflight).isInstanceOf(VipException.class).hasMessageContaining("rfnosuch0");
    }

    @Test
    void badSettingsAreRejectedWithTheKey() {
        GarpConfig garp = GarpConfig.DEFAULT;
        assertThatThrownBy(() -> VirtualAddress.of(new VipConfig("10.0.0.1", 33, "eth0", garp)))
                .hasMessage("vip.prefix: 33 (expected: 0..32)");
        assertThatThrownBy(() -> VirtualAddress.of(new VipConfig("10.0.0.1", 24, "eth 0", garp)))
                .hasMessage("vip.iface: eth 0 (expected: a Linux interface name, 1-15 characters)");
        assertThatThrownBy(() -> VirtualAddress.of(new VipConfig("vip.example", 24, "eth0", garp)))
                .hasMessage("vip.address: vip.example (expected: an IPv4 or IPv6 address literal)");
        assertThatThrownBy(() -> VirtualAddress.of(new VipConfig("fd00::1", 129, "eth0", garp)))
                .hasMessage("vip.prefix: 129 (expected: 0..128)");
        // IPv6 VIPs are accepted: announced with unsolicited neighbour advertisements.
        try (VipOwner owner = VipOwner.create(new VipConfig("fd00::1", 64, "rfnosuch6", garp))) {
            assertThat(owner.address().address().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:1");
        }
    }

    private static boolean runs(String... command) {
        return CommandRunner.run(Command.of(Duration.ofSeconds(5), command)).ok();
    }
}

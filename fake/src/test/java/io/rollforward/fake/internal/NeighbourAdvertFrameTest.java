package io.rollforward.fake.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes of an unsolicited neighbour advertisement, field by field (RFC 4861 4.4, 7.2.6). */
class NeighbourAdvertFrameTest {
    private static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

    @Test
    void layoutAndChecksum() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8::103");
        byte[] f = NeighbourAdvertFrame.encode(MAC, vip);
        assertThat(f).hasSize(14 + 40 + 32);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsExactly(0x33, 0x33, 0, 0, 0, 1);   // all-nodes multicast MAC
        assertThat(Arrays.copyOfRange(f, 6, 12)).containsExactly(MAC);
        assertThat(f[12] & 0xff).isEqualTo(0x86);
        assertThat(f[13] & 0xff).isEqualTo(0xdd);
        assertThat(f[14] & 0xff).isEqualTo(0x60);                                          // IPv6
        assertThat(((f[18] & 0xff) << 8) | (f[19] & 0xff)).isEqualTo(32);                 // payload length
        assertThat(f[20] & 0xff).isEqualTo(58);                                            // ICMPv6
        assertThat(f[21] & 0xff).isEqualTo(255);                                           // hop limit
        assertThat(Arrays.copyOfRange(f, 22, 38)).containsExactly(vip.getAddress());       // source = VIP
        assertThat(Arrays.copyOfRange(f, 38, 54)).containsExactly(
                InetAddress.getByName("ff02::1").getAddress());                            // all nodes
        assertThat(f[54] & 0xff).isEqualTo(136);                                           // neighbour advertisement
        assertThat(f[55]).isZero();
        assertThat(f[58] & 0xff).isEqualTo(0x20);                                          // Override only
        assertThat(Arrays.copyOfRange(f, 62, 78)).containsExactly(vip.getAddress());       // target = VIP
        assertThat(Arrays.copyOfRange(f, 78, 80)).containsExactly(2, 1);                   // TLLA option, 8 bytes
        assertThat(Arrays.copyOfRange(f, 80, 86)).containsExactly(MAC);
        // Summed with its checksum in place, a correct message gives zero.
        assertThat(NeighbourAdvertFrame.checksum(vip.getAddress(), InetAddress.getByName("ff02::1").getAddress(),
                f, 54, 32)).isZero();
    }

    @Test
    void knownChecksum() throws Exception {
        // Computed independently (RFC 1071 sum by hand over the pseudo-header and the message).
        byte[] f = NeighbourAdvertFrame.encode(new byte[6], (Inet6Address) InetAddress.getByName("::1:0"));
        int sum = 0xff02 + 1 + 1 + 1 + 32 + 58 + (136 << 8) + 0x2000 + 0x0201;
        int expected = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        assertThat(((f[56] & 0xff) << 8) | (f[57] & 0xff)).isEqualTo(expected);
    }

    @Test
    void refusesAShortMac() throws Exception {
        assertThatThrownBy(() -> NeighbourAdvertFrame.encode(new byte[4],
                (Inet6Address) InetAddress.getByName("2001:db8::1"))).isInstanceOf(IllegalArgumentException.class);
    }
}

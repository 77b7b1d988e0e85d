package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArpFrameTest {
    private static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    private static final byte[] VIP = {10, (byte) 213, 0, 100};

    @Test
    void requestFormHasZeroTargetMacAndVipAsBothAddresses() throws Exception {
        byte[] frame = ArpFrame.encode(GarpForm.REQUEST, MAC, vip());

        assertCommonFields(frame);
        assertThat(u16(frame, 20)).as("opcode").isEqualTo(1);
        assertThat(Arrays.copyOfRange(frame, 32, 38)).as("target MAC").containsOnly(0);
    }

    @Test
    void replyFormHasOwnMacAsTarget() throws Exception {
        byte[] frame = ArpFrame.encode(GarpForm.REPLY, MAC, vip());

        assertCommonFields(frame);
        assertThat(u16(frame, 20)).as("opcode").isEqualTo(2);
        assertThat(Arrays.copyOfRange(frame, 32, 38)).as("target MAC").isEqualTo(MAC);
    }

    @Test
    void rejectsNonEthernetMac() {
        assertThatThrownBy(() -> ArpFrame.encode(GarpForm.REQUEST, new byte[8], vip()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 6");
    }

    @Test
    void formatsMacLikeIpNeigh() {
        assertThat(ArpFrame.formatMac(new byte[]{0x02, (byte) 0xab, 0, 1, 0x7f, (byte) 0xff}))
                .isEqualTo("02:ab:00:01:7f:ff");
    }

    private static void assertCommonFields(byte[] frame) {
        assertThat(frame).hasSize(ArpFrame.MIN_FRAME);
        assertThat(Arrays.copyOfRange(frame, 0, 6)).as("Ethernet dst").containsOnly(-1);
        assertThat(Arrays.copyOfRange(frame, 6, 12)).as("Ethernet src").isEqualTo(MAC);
        assertThat(u16(frame, 12)).as("EtherType").isEqualTo(0x0806);
        assertThat(u16(frame, 14)).as("hardware type").isEqualTo(1);
        assertThat(u16(frame, 16)).as("protocol type").isEqualTo(0x0800);
        assertThat(frame[18]).as("hlen").isEqualTo((byte) 6);
        assertThat(frame[19]).as("plen").isEqualTo((byte) 4);
        assertThat(Arrays.copyOfRange(frame, 22, 28)).as("sender MAC").isEqualTo(MAC);
        assertThat(Arrays.copyOfRange(frame, 28, 32)).as("sender IP").isEqualTo(VIP);
        assertThat(Arrays.copyOfRange(frame, 38, 42)).as("target IP").isEqualTo(VIP);
        assertThat(Arrays.copyOfRange(frame, 42, 60)).as("padding").containsOnly(0);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static Inet4Address vip() {
        try {
            return (Inet4Address) InetAddress.getByAddress(VIP);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

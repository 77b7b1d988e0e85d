package io.rollforward.config.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpLiteralTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.255.254", "0.0.0.0"})
    void parsesIpv4(String text) {
        assertThat(IpLiteral.parse(text)).get().isInstanceOf(Inet4Address.class)
                .extracting(a -> a.getHostAddress()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "fe80::1", "::1"})
    void parsesIpv6(String text) {
        assertThat(IpLiteral.parse(text)).get().isInstanceOf(Inet6Address.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "vip.example", "10.0.0.256", "10.0.0", "", "1.2.3.4.5", "2001:db8::zz", ":::"})
    void rejectsNamesAndMalformedLiteralsWithoutLookup(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
        assertThatThrownBy(() -> IpLiteral.require(text, "vip.address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vip.address: " + text + " (expected: an IPv4 or IPv6 address literal)");
    }
}

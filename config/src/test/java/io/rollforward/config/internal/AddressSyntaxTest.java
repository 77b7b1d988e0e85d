package io.rollforward.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollforward.config.HostPort;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address syntaxes: IP literals, host names, host:port, http URLs, VIP prefixes. */
class AddressSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1:2:3:4",
            "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::", "64:ff9b::192.0.2.33"})
    void ipLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1:2:3:4:5:6:7:8:9",
            "1::2::3", ":::", "12345::1", "g::1", "fe80::1%eth0", "1:2:3:4:5:6:7", "::1.2.3", "localhost", "example.com"})
    void notIpLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "web1", "web-1.example.com", "a.b.c.", "xn--bcher-kva.example", "10.0.0.1", "::1"})
    void hostNames(String text) {
        assertThat(HostName.isValid(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", "web-", "we b", "web_1", "a..b", "10.0.0.256", "1.2.3", "caf\u00e9.example"})
    void notHostNames(String text) {
        assertThat(HostName.isValid(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0:8080,      0.0.0.0,     8080",
            "'[::1]:8080',      ::1,         8080",
            "'[2001:db8::2]:1', 2001:db8::2, 1",
            "localhost:0,       localhost,   0",
            "proxy.example:65535, proxy.example, 65535",
    })
    void hostPorts(String text, String host, int port) {
        assertThat(HostPortValue.parse(text, 0)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", ":8080", "localhost", "localhost:", "localhost:http", "::1:8080", "[::1]8080",
            "[::1]", "[10.0.0.1]:80", "host:65536", "host:-1", "host:123456", "a b:80"})
    void notHostPorts(String text) {
        assertThatThrownBy(() -> HostPortValue.parse(text, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "http://10.0.0.11,        10.0.0.11,   80",
            "http://10.0.0.11:8080/,  10.0.0.11,   8080",
            "HTTP://web1.example:81,  web1.example, 81",
            "'http://[::1]:8081',     ::1,         8081",
    })
    void replicaUrls(String text, String host, int port) {
        assertThat(HttpUrl.origin(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"htp://x", "https://x", "x:80", "//x:80", "http://", "http://x:80/app", "http://x/?q=1",
            "http://u:p@x", "http://x#f", "http://x:0", "http://x_y:80", "http://10.0.0.300"})
    void notReplicaUrls(String text) {
        assertThatThrownBy(() -> HttpUrl.origin(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "192.0.2.100/24,     192.0.2.100,    24",
            "192.0.2.100/32,     192.0.2.100,    32",
            "10.213.9.100/8,     10.213.9.100,   8",
            "'2001:db8::100/64', 2001:db8::100,  64",
            "'2001:db8::100/128', 2001:db8::100, 128",
    })
    void vipAddresses(String text, String address, int prefix) {
        assertThat(VipAddress.parse(text)).isEqualTo(new VipAddress(address, prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.100", "192.0.2.100/", "192.0.2.100/0", "192.0.2.100/33", "2001:db8::1/129",
            "fe80::1/64", "ff02::1/128", "2001:db8::1/0",
            "vip.example/24", "224.0.0.1/24", "0.0.0.0/8", "127.0.0.2/8", "::1/128", "192.0.2.100/x"})
    void notVipAddresses(String text) {
        assertThatThrownBy(() -> VipAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}

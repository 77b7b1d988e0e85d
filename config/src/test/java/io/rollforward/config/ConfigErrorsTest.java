package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation error of the proxy file: each case is a file with exactly one mistake and the
 * one error line it must produce, with file:line:column, key path and message.
 * {@link TwoReplicas#YAML} is lines 1-4, so a line appended to it is line 5.
 */
class ConfigErrorsTest {
    private static final String BASE = TwoReplicas.YAML;

    static List<String> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "r.yaml"));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    static Arguments c(String yaml, String... expected) {
        return Arguments.of(yaml, List.of(expected));
    }

    static String replicas(String first, String second) {
        return "listen: 127.0.0.1:8080\nreplicas:\n  - " + first + "\n  - " + second + "\n";
    }

    static Stream<Arguments> oneMistake() {
        return Stream.of(
                // listen
                c("replicas:\n  - {name: a, url: http://127.0.0.1:81}\n  - {name: b, url: http://127.0.0.1:82}\n",
                        "r.yaml:1:1: listen: missing (expected: host:port, IPv6 as [::1]:8080, or a tls section with its own listen)"),
                c(BASE.replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1"),
                        "r.yaml:1:9: listen: \"127.0.0.1\" (expected: host:port, IPv6 as [::1]:8080)"),
                c(BASE.replace("listen: 127.0.0.1:8080", "listen: \"::1:8080\""),
                        "r.yaml:1:9: listen: \"::1:8080\" (expected: host:port, IPv6 as [::1]:8080)"),
                c(BASE.replace("listen: 127.0.0.1:8080", "listen: 10.0.0.256:80"),
                        "r.yaml:1:9: listen: \"10.0.0.256:80\" (expected: host:port, IPv6 as [::1]:8080)"),
                c(BASE.replace("listen: 127.0.0.1:8080", "listen: 0.0.0.0:65536"),
                        "r.yaml:1:9: listen: \"0.0.0.0:65536\" (expected: host:port, IPv6 as [::1]:8080)"),
                // replicas
                c("listen: 127.0.0.1:8080\n",
                        "r.yaml:1:1: replicas: missing (expected: a list of at least 2 replicas, master first)"),
                c("listen: 127.0.0.1:8080\nreplicas:\n  - {name: a, url: http://127.0.0.1:81}\n",
                        "r.yaml:3:3: replicas: 1 replica(s) (expected: at least 2, a master and a backup)"),
                c("listen: 127.0.0.1:8080\nreplicas: web1\n",
                        "r.yaml:2:11: replicas: \"web1\" (expected: a list of replicas, master first)"),
                c(replicas("web1", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:5: replicas[0]: \"web1\" (expected: a replica: {name: web1, url: http://10.0.0.11:80})"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: htp://x}"),
                        "r.yaml:4:20: replicas[1].url: \"htp://x\" (expected: http://host:port)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: https://x:443}"),
                        "r.yaml:4:20: replicas[1].url: \"https://x:443\" (expected: http://host:port)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: http://x:80/app}"),
                        "r.yaml:4:20: replicas[1].url: \"http://x:80/app\" (expected: http://host:port)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: http://user@x:80}"),
                        "r.yaml:4:20: replicas[1].url: \"http://user@x:80\" (expected: http://host:port)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b}"),
                        "r.yaml:4:5: replicas[1].url: missing (expected: http://host:port)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: 'web 2', url: http://x}"),
                        "r.yaml:4:12: replicas[1].name: \"web 2\" (expected: a name of letters, digits, '_', '.' and '-')"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: a, url: http://127.0.0.1:82}"),
                        "r.yaml:4:12: replicas[1].name: a (expected: unique, replicas[0] has it too)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, agent: w}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:48: replicas[0].agent: w (expected: a top-level 'agents' section to receive its heartbeats)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, agent: w}", "{name: b, url: http://127.0.0.1:82, agent: w}")
                                + "agents: {key-file: k}\n",
                        "r.yaml:4:48: replicas[1].agent: w (expected: unique, replicas[0] has it too)"),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: 'http://127.0.0.1:81/'}"),
                        "r.yaml:4:20: replicas[1].url: http://127.0.0.1:81/ (expected: unique, replicas[0] has it too)"),
                // check
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {request: testpage}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:58: replicas[0].check.request: testpage (expected: a path starting with /)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {expect-status: 700}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:64: replicas[0].check.expect-status: \"700\" (expected: an HTTP status 100..599)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {interval: 2s, timeout: 2s}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:72: replicas[0].check.timeout: 2s (expected: < interval 2s)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {interval: 0}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:59: replicas[0].check.interval: 0 (expected: > 0)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {rise: 0}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:55: replicas[0].check.rise: 0 (expected: >= 1)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {fall: two}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:55: replicas[0].check.fall: \"two\" (expected: an integer)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: yes}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:48: replicas[0].check: \"yes\" (expected: a check: {request: /.testpage, expect-status: 200, interval: 2s})"),
                // rejoin
                c(replicas("{name: a, url: http://127.0.0.1:81, rejoin: later}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:49: replicas[0].rejoin: \"later\" (expected: immediate, manual or {hook: [command, args...], timeout: 60s})"),
                c(replicas("{name: a, url: http://127.0.0.1:81, rejoin: {timeout: 5s}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:49: replicas[0].rejoin.hook: missing (expected: a command as a list, e.g. [/usr/local/bin/resync, web1])"),
                c(replicas("{name: a, url: http://127.0.0.1:81, rejoin: {hook: []}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:56: replicas[0].rejoin.hook: [] (expected: a command as a list, e.g. [/usr/local/bin/resync, web1])"),
                c(replicas("{name: a, url: http://127.0.0.1:81, rejoin: {hook: resync.sh}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:56: replicas[0].rejoin.hook: \"resync.sh\" (expected: a command as a list, e.g. [/usr/local/bin/resync, web1])"),
                // top-level scalars
                c(BASE + "stagger: 5s\n",
                        "r.yaml:5:10: stagger: 5s (expected: < per-request-timeout 5s)"),
                c(BASE + "stagger: 5\n",
                        "r.yaml:5:10: stagger: \"5\" (expected: a duration like 250ms, 5s, 1.5s, 2m, 1h or 0)"),
                c(BASE + "stagger:\n",
                        "r.yaml:5:9: stagger: no value (expected: a duration like 250ms, 5s, 1.5s, 2m, 1h or 0)"),
                c(BASE + "per-request-timeout: 0\n",
                        "r.yaml:5:22: per-request-timeout: 0 (expected: > 0)"),
                c(BASE + "fail-on-status: [502, 99]\n",
                        "r.yaml:5:23: fail-on-status[1]: \"99\" (expected: an HTTP status 100..599)"),
                c(BASE + "fail-on-status: 502\n",
                        "r.yaml:5:17: fail-on-status: \"502\" (expected: a list, each an HTTP status 100..599)"),
                c(BASE + "served-by-header: X Served By\n",
                        "r.yaml:5:19: served-by-header: \"X Served By\" (expected: an HTTP header name, or false to send none)"),
                c(BASE + "hold-back-poison: maybe\n",
                        "r.yaml:5:19: hold-back-poison: \"maybe\" (expected: true or false)"),
                c(BASE + "eject-after: -1\n",
                        "r.yaml:5:14: eject-after: -1 (expected: >= 0)"),
                c(BASE + "ejection-time: 0s\n",
                        "r.yaml:5:16: ejection-time: 0s (expected: > 0)"),
                c(BASE + "divergence-log-interval: 0s\n",
                        "r.yaml:5:26: divergence-log-interval: 0s (expected: > 0)"),
                // streaming limits and timeouts
                c(BASE + "limits: {splice-window: 1KiB}\n", "r.yaml:5:25: limits.splice-window: 1KiB (expected: 4KiB..64MiB)"),
                c(BASE + "limits: {splice-window: 1MiB, max-buffered-total: 512KiB}\n", "r.yaml:5:51: limits.max-buffered-total: 512KiB (expected: >= splice-window 1048576 bytes, or auto)"),
                c(BASE + "limits: {max-response-header-size: 0}\n", "r.yaml:5:36: limits.max-response-header-size: 0 (expected: 1..16777216 bytes)"),
                c(BASE + "reply-idle-timeout: 0\n", "r.yaml:5:21: reply-idle-timeout: 0 (expected: > 0)"),
                c(BASE + "max-reply-duration: forever\n", "r.yaml:5:21: max-reply-duration: \"forever\" (expected: a duration like 250ms, 5s, 1.5s, 2m, 1h or 0)"),
                c(BASE + "query-of-death: {signature: url}\n", "r.yaml:5:29: query-of-death.signature: url (expected: method-path or method-path-body)"),
                c(BASE + "query-of-death: {quarantine: 5s}\n", "r.yaml:5:18: query-of-death.quarantine: unknown key 'quarantine' (expected one of: enabled, signature, max-entries, remember-for, quarantine-time)"),
                c(BASE + "query-of-death: maybe\n", "r.yaml:5:17: query-of-death: \"maybe\" (expected: true or false)"),
                // limits
                c(BASE + "limits: {max-request-body: 10XB}\n",
                        "r.yaml:5:28: limits.max-request-body: \"10XB\" (expected: a size like 512KiB, 10MiB, 1GiB, 64KB or a number of bytes)"),
                c(BASE + "limits: {max-header-size: 4GiB}\n",
                        "r.yaml:5:27: limits.max-header-size: 4GiB (expected: 1..2147483647 bytes)"),
                c(BASE + "limits: {max-response-buffer: 0}\n",
                        "r.yaml:5:31: limits.max-response-buffer: 0 (expected: 1..2147483647 bytes)"),
                c(BASE + "limits: {max-connections: 0}\n",
                        "r.yaml:5:27: limits.max-connections: 0 (expected: >= 1)"),
                c(BASE + "limits: {connect-timeout: 0}\n",
                        "r.yaml:5:27: limits.connect-timeout: 0 (expected: > 0)"),
                c(BASE + "limits: 10MiB\n",
                        "r.yaml:5:9: limits: \"10MiB\" (expected: a mapping of limits: {max-request-body: 10MiB, ...})"),
                // admin and agents
                c(BASE + "admin: {listen: localhost}\n",
                        "r.yaml:5:17: admin.listen: \"localhost\" (expected: host:port, IPv6 as [::1]:8080)"),
                c(BASE + "agents: {listen: 0.0.0.0:694}\n",
                        "r.yaml:5:9: agents.key-file: missing (expected: a file path)"),
                c(BASE + "agents: {key-file: k, keepalive: 2s, warntime: 1s}\n",
                        "r.yaml:5:48: agents.warntime: 1s (expected: > keepalive 2s)"),
                c(BASE + "agents: {key-file: k, warntime: 500ms, deadtime: 200ms}\n",
                        "r.yaml:5:50: agents.deadtime: 200ms (expected: > warntime 500ms)"),
                c(BASE + "agents: {key-file: k, deadtime: 10s, initdead: 5s}\n",
                        "r.yaml:5:48: agents.initdead: 5s (expected: >= deadtime 10s)"),
                c(BASE + "agents: {key-file: k, keepalive: 0}\n",
                        "r.yaml:5:34: agents.keepalive: 0 (expected: > 0)"),
                // ports two sockets would fight over
                c(BASE + "admin: {listen: 0.0.0.0:8080}\n",
                        "r.yaml:5:17: admin.listen: 0.0.0.0:8080 (expected: a port other than listen 127.0.0.1:8080, both are TCP)"),
                c(BASE.replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:9901"),
                        "r.yaml:1:9: listen: 127.0.0.1:9901 (expected: a port other than admin.listen 127.0.0.1:9901, both are TCP)"),
                c(BASE + "agents: {key-file: k}\ncluster: {node: a, peer: b, key-file: k, udp: {peers: [192.0.2.2]}}\n",
                        "r.yaml:5:9: agents.listen: 0.0.0.0:694 (expected: a port other than cluster.udp.port 694, both are UDP)"),
                c(BASE + "agents: {key-file: k, listen: 192.0.2.1:700}\n"
                                + "cluster: {node: a, peer: b, key-file: k, udp: {peers: [192.0.2.2], port: 700}}\n",
                        "r.yaml:5:31: agents.listen: 192.0.2.1:700 (expected: a port other than cluster.udp.port 700, both are UDP)"),
                // structure
                c(BASE + "listen: 127.0.0.1:9090\n",
                        "r.yaml:5:1: listen: duplicate key (first at line 1)"),
                c(BASE + "stager: 10ms\n",
                        "r.yaml:5:1: stager: unknown key 'stager' (did you mean 'stagger'?)"),
                c(BASE + "per_request_timeout: 1s\n",
                        "r.yaml:5:1: per_request_timeout: unknown key 'per_request_timeout' (did you mean 'per-request-timeout'?)"),
                c(replicas("{name: a, URL: http://127.0.0.1:81}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:5: replicas[0].url: missing (expected: http://host:port)",
                        "r.yaml:3:15: replicas[0].URL: unknown key 'URL' (did you mean 'url'?)"),
                c(BASE + "limits: {max-request-bdy: 1MiB}\n",
                        "r.yaml:5:10: limits.max-request-bdy: unknown key 'max-request-bdy' (did you mean 'max-request-body'?)"),
                c(BASE + "<<: {stagger: 1s}\n",
                        "r.yaml:5:1: <<: unknown key '<<' (expected one of: listen, scheduler, groups, replicas, lard, stagger, per-request-timeout, "
                                + "fail-on-status, served-by-header, mirror, hold-back-poison, eject-after, ejection-time, reply-idle-timeout, max-reply-duration, query-of-death, divergence-log-interval, "
                                + "limits, admin, agents, cluster, tls, shutdown-timeout, node-name, forwarded, access-log, ordering, divergence)"),
                c(BASE + "? [a, b]\n: c\n",
                        "r.yaml:5:3: a list as a key (expected: a plain key)"));
    }

    @ParameterizedTest
    @MethodSource("oneMistake")
    void reportsTheMistakeWhereItIs(String yaml, List<String> expected) {
        assertThat(errorsOf(yaml)).isEqualTo(expected);
    }

    static Stream<Arguments> clusterMistakes() {
        String ok = """
                cluster:
                  node: a
                  peer: b
                  key-file: k
                  udp: {peers: [192.0.2.2]}
                """;
        return Stream.of(
                c(ok.replace("  node: a\n", ""), "r.yaml:6:3: cluster.node: missing (expected: a name of letters, digits, '_', '.' and '-')"),
                c(ok.replace("peer: b", "peer: a"), "r.yaml:7:9: cluster.peer: a (expected: a name other than node a)"),
                c(ok.replace("  key-file: k\n", ""), "r.yaml:6:3: cluster.key-file: missing (expected: a file path)"),
                c(ok.replace("  udp: {peers: [192.0.2.2]}\n", ""),
                        "r.yaml:6:3: cluster.udp: missing (expected: a UDP link: {mode: ucast, peers: [192.0.2.2]})"),
                c(ok + "  preferred: c\n", "r.yaml:10:14: cluster.preferred: c (expected: node a or peer b)"),
                c(ok + "  auto-failback: sometimes\n", "r.yaml:10:18: cluster.auto-failback: \"sometimes\" (expected: true or false)"),
                c(ok + "  ping-nodes: [\"not a host\"]\n",
                        "r.yaml:10:16: cluster.ping-nodes[0]: \"not a host\" (expected: an IP address or a host name)"),
                c(ok + "  keepalive: 1s\n  warntime: 1s\n", "r.yaml:11:13: cluster.warntime: 1s (expected: > keepalive 1s)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{mode: ucast}"),
                        "r.yaml:9:8: cluster.udp.peers: missing (expected: a list with the peer's address, for mode ucast)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peers: []}"),
                        "r.yaml:9:16: cluster.udp.peers: [] (expected: at least one entry, the peer's address, for mode ucast)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peers: [192.0.2.2:694]}"),
                        "r.yaml:9:17: cluster.udp.peers[0]: \"192.0.2.2:694\" (expected: an IP address or a host name)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{mode: bcast}"),
                        "r.yaml:9:8: cluster.udp.peers: missing (expected: a list with a broadcast address, for mode bcast)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{mode: mcast}"),
                        "r.yaml:9:8: cluster.udp.group: missing (expected: a multicast group address, for mode mcast)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{mode: mcast, group: 192.0.2.9}"),
                        "r.yaml:9:29: cluster.udp.group: 192.0.2.9 (expected: a multicast address, 224.0.0.0/4 or ff00::/8)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{mode: anycast, peers: [192.0.2.2]}"),
                        "r.yaml:9:15: cluster.udp.mode: \"anycast\" (expected: ucast, bcast or mcast)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peers: [192.0.2.2], ttl: 256}"),
                        "r.yaml:9:34: cluster.udp.ttl: 256 (expected: 0..255)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peers: [192.0.2.2], port: 0}"),
                        "r.yaml:9:35: cluster.udp.port: \"0\" (expected: a port 1..65535)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peers: [192.0.2.2], bind: myhost}"),
                        "r.yaml:9:35: cluster.udp.bind: \"myhost\" (expected: an IPv4 or IPv6 address)"),
                c(ok.replace("{peers: [192.0.2.2]}", "{peer: [192.0.2.2]}"),
                        "r.yaml:9:8: cluster.udp.peers: missing (expected: a list with the peer's address, for mode ucast)",
                        "r.yaml:9:9: cluster.udp.peer: unknown key 'peer' (did you mean 'peers'?)"),
                c(ok + "  serial: {baud: 9600}\n",
                        "r.yaml:10:11: cluster.serial.device: missing (expected: a non-empty string)"),
                c(ok + "  serial: {device: /dev/ttyS0, baud: 0}\n",
                        "r.yaml:10:38: cluster.serial.baud: 0 (expected: >= 1)"),
                c(ok + "  vip: {address: 192.0.2.100, interface: eth0}\n",
                        "r.yaml:10:18: cluster.vip.address: \"192.0.2.100\" (expected: an address/prefix, e.g. 192.0.2.100/24 or 2001:db8::100/64)"),
                c(ok + "  vip: {address: 192.0.2.100/33, interface: eth0}\n",
                        "r.yaml:10:18: cluster.vip.address: \"192.0.2.100/33\" (expected: an address/prefix, e.g. 192.0.2.100/24 or 2001:db8::100/64)"),
                c(ok + "  vip: {address: \"2001:db8::g/64\", interface: eth0}\n",
                        "r.yaml:10:18: cluster.vip.address: \"2001:db8::g/64\" (expected: an address/prefix, e.g. 192.0.2.100/24 or 2001:db8::100/64)"),
                c(ok + "  vip: {address: \"fe80::1/64\", interface: eth0}\n",
                        "r.yaml:10:18: cluster.vip.address: \"fe80::1/64\" (expected: an address/prefix, e.g. 192.0.2.100/24 or 2001:db8::100/64)"),
                c(ok + "  vip: {address: 192.0.2.100/24}\n",
                        "r.yaml:10:8: cluster.vip.interface: missing (expected: a name of letters, digits, '_', '.' and '-')"),
                c(ok + "  vip: {address: 192.0.2.100/24, interface: eth0, garp: {count: 0}}\n",
                        "r.yaml:10:65: cluster.vip.garp.count: 0 (expected: >= 1)"),
                c(ok + "  vip: {address: 192.0.2.100/24, interface: eth0, garp: {interval: 0}}\n",
                        "r.yaml:10:68: cluster.vip.garp.interval: 0 (expected: > 0)"),
                c(ok + "  notify: {active: /usr/bin/notify}\n",
                        "r.yaml:10:20: cluster.notify.active: \"/usr/bin/notify\" (expected: a command as a list, e.g. [/usr/local/bin/resync, web1])"));
    }

    static final String LOOP = " (expected: not the proxy itself: listen %s takes this address, so every request would come back to the proxy)";

    static Stream<Arguments> edgeMistakes() {
        String wildcard = "listen: 0.0.0.0:8080\nreplicas:\n  - %s\n  - {name: b, url: http://10.9.9.9:8080}\n";
        return Stream.of(
                // the proxy's own listen as a replica: every request would loop
                c(replicas("{name: a, url: http://127.0.0.1:8080}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:20: replicas[0].url: http://127.0.0.1:8080" + LOOP.formatted("127.0.0.1:8080")),
                c(replicas("{name: a, url: http://127.0.0.1:81}", "{name: b, url: 'http://localhost:8080/'}"),
                        "r.yaml:4:20: replicas[1].url: http://localhost:8080/" + LOOP.formatted("127.0.0.1:8080")),
                c(wildcard.formatted("{name: a, url: http://127.0.0.2:8080}"),
                        "r.yaml:3:20: replicas[0].url: http://127.0.0.2:8080" + LOOP.formatted("0.0.0.0:8080")),
                c(wildcard.formatted("{name: a, url: http://LocalHost:8080}"),
                        "r.yaml:3:20: replicas[0].url: http://LocalHost:8080" + LOOP.formatted("0.0.0.0:8080")),
                c(wildcard.formatted("{name: a, url: 'http://0.0.0.0:8080'}"),
                        "r.yaml:3:20: replicas[0].url: http://0.0.0.0:8080" + LOOP.formatted("0.0.0.0:8080")),
                c(wildcard.replace("0.0.0.0:8080", "\"[::]:8080\"").formatted("{name: a, url: 'http://[::1]:8080'}"),
                        "r.yaml:3:20: replicas[0].url: http://[::1]:8080" + LOOP.formatted("[::]:8080")),
                // node-name, forwarded, access-log, check.host
                c(BASE + "node-name: 'edge a'\n",
                        "r.yaml:5:12: node-name: \"edge a\" (expected: a name of letters, digits, '_', '.' and '-')"),
                c(BASE + "forwarded: {trusted-proxies: [10.0.0.1/8]}\n",
                        "r.yaml:5:31: forwarded.trusted-proxies[0]: \"10.0.0.1/8\" (expected: an address or a block like 10.0.0.0/8 or fd00::/8)"),
                c(BASE + "forwarded: {trusted-proxies: [10.0.0.0/33]}\n",
                        "r.yaml:5:31: forwarded.trusted-proxies[0]: \"10.0.0.0/33\" (expected: an address or a block like 10.0.0.0/8 or fd00::/8)"),
                c(BASE + "forwarded: {trusted-proxies: [lb.example]}\n",
                        "r.yaml:5:31: forwarded.trusted-proxies[0]: \"lb.example\" (expected: an address or a block like 10.0.0.0/8 or fd00::/8)"),
                c(BASE + "forwarded: {trusted: [10.0.0.0/8]}\n",
                        "r.yaml:5:13: forwarded.trusted: unknown key 'trusted' (expected one of: trusted-proxies)"),
                c(BASE + "access-log: {format: json}\n",
                        "r.yaml:5:13: access-log.path: missing (expected: a file path, or - for standard output)"),
                c(BASE + "access-log: {path: -, format: xml}\n",
                        "r.yaml:5:31: access-log.format: \"xml\" (expected: combined or json)"),
                c(replicas("{name: a, url: http://127.0.0.1:81, check: {host: 'www example'}}", "{name: b, url: http://127.0.0.1:82}"),
                        "r.yaml:3:55: replicas[0].check.host: \"www example\" (expected: a host or host:port, IPv6 as [::1])"));
    }

    @ParameterizedTest
    @MethodSource("edgeMistakes")
    void reportsEdgeMistakes(String yaml, List<String> expected) {
        assertThat(errorsOf(yaml)).isEqualTo(expected);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "listen: 127.0.0.1:8080\nreplicas:\n  - {name: a, url: http://127.0.0.2:8080}\n  - {name: b, url: http://127.0.0.1:8081}\n",
            "listen: 0.0.0.0:8080\nreplicas:\n  - {name: a, url: http://192.0.2.10:8080}\n  - {name: b, url: http://web2.example:8080}\n",
            "listen: 0.0.0.0:0\nreplicas:\n  - {name: a, url: http://127.0.0.1:80}\n  - {name: b, url: http://127.0.0.1:81}\n"})
    void anotherAddressOrPortIsNoLoop(String yaml) throws ConfigException {
        assertThat(ConfigLoader.parse(yaml, "r.yaml").replicas()).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("clusterMistakes")
    void reportsClusterMistakes(String cluster, List<String> expected) {
        assertThat(errorsOf(BASE + cluster)).isEqualTo(expected);
    }

    @Test
    void reportsEveryErrorInFileOrder() {
        List<String> errors = errorsOf("""
                listen: 127.0.0.1
                replicas:
                  - {name: a, url: http://127.0.0.1:81}
                  - {name: b, url: ftp://127.0.0.1:82}
                cluster: {node: a, peer: a, key-file: k, udp: {peers: [192.0.2.2]}}
                stagger: 2
                limit: {}
                """);
        assertThat(errors).containsExactly(
                "r.yaml:1:9: listen: \"127.0.0.1\" (expected: host:port, IPv6 as [::1]:8080)",
                "r.yaml:4:20: replicas[1].url: \"ftp://127.0.0.1:82\" (expected: http://host:port)",
                "r.yaml:5:26: cluster.peer: a (expected: a name other than node a)",
                "r.yaml:6:10: stagger: \"2\" (expected: a duration like 250ms, 5s, 1.5s, 2m, 1h or 0)",
                "r.yaml:7:1: limit: unknown key 'limit' (did you mean 'limits'?)");
    }

    @Test
    void exceptionMessageListsEveryErrorOneALine() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "stagger: 9s\neject-after: x\n", "r.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("r.yaml:5:10: stagger: 9s (expected: < per-request-timeout 5s)\n"
                        + "r.yaml:6:14: eject-after: \"x\" (expected: an integer)");
    }

    static Stream<Arguments> notYamlOrNotAMapping() {
        return Stream.of(
                Arguments.of("", "r.yaml:1:1: empty file (expected: a YAML mapping of settings)"),
                Arguments.of("# only a comment\n", "r.yaml:1:1: empty file (expected: a YAML mapping of settings)"),
                Arguments.of("- a\n- b\n", "r.yaml:1:1: a list (expected: a mapping of settings: listen, replicas, ...)"),
                Arguments.of("listen: [127.0.0.1:80\nreplicas: []\n",
                        "r.yaml:2:9: invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence)"),
                Arguments.of("listen: 127.0.0.1:80\n  replicas: x: y\n",
                        "r.yaml:2:11: invalid YAML: mapping values are not allowed here"),
                Arguments.of("listen: 127.0.0.1:80\n\treplicas: []\n",
                        "r.yaml:2:1: invalid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
                Arguments.of("listen: 127.0.0.1:80\n---\nlisten: 127.0.0.1:81\n",
                        "r.yaml:2:1: invalid YAML: but found another document (expected a single document in the stream)"));
    }

    @ParameterizedTest
    @MethodSource("notYamlOrNotAMapping")
    void syntaxErrorsAreLocated(String yaml, String expected) {
        assertThat(errorsOf(yaml)).containsExactly(expected);
    }
}

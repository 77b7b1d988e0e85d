package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The file of {@code rollforward agent}. */
class AgentConfigTest {
    private static final String MINIMAL = """
            node: web1
            send-to: [127.0.0.1:694]
            key-file: authkey
            """;

    @Test
    void fullFileReadsEveryKey() throws ConfigException {
        AgentConfig agent = ConfigLoader.parseAgent("""
                node: web1
                send-to: [192.0.2.1:695, "[2001:db8::2]:695", proxy-b.example:694]
                key-file: /etc/rollforward/agents.key
                keepalive: 500ms
                warntime: 2s
                deadtime: 4s
                initdead: 12s
                check:
                  url: http://127.0.0.1:8080/.testpage?probe=1
                  expect-status: 204
                  receive: ok
                  timeout: 300ms
                """, "/etc/rollforward/agent.yaml");
        assertThat(agent).isEqualTo(new AgentConfig("web1",
                List.of(new HostPort("192.0.2.1", 695), new HostPort("2001:db8::2", 695), new HostPort("proxy-b.example", 694)),
                Path.of("/etc/rollforward/agents.key"),
                new Timing(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(12)),
                Optional.of(new AgentConfig.LocalCheck(URI.create("http://127.0.0.1:8080/.testpage?probe=1"), 204,
                        Optional.of("ok"), Duration.ofMillis(300)))));
    }

    @Test
    void omittedKeysTakeDefaults() throws ConfigException {
        AgentConfig agent = ConfigLoader.parseAgent(MINIMAL + "check: {url: http://127.0.0.1/.testpage}\n",
                "/srv/agent.yaml");
        assertThat(agent.keyFile()).isEqualTo(Path.of("/srv/authkey"));
        assertThat(agent.timing()).isEqualTo(Timing.DEFAULT);
        assertThat(agent.check()).contains(new AgentConfig.LocalCheck(URI.create("http://127.0.0.1:80/.testpage"),
                200, Optional.empty(), Duration.ofSeconds(1)));
        assertThat(ConfigLoader.parseAgent(MINIMAL, "a.yaml").check()).isEmpty();
    }

    @Test
    void loadAgentReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, MINIMAL);
        AgentConfig agent = ConfigLoader.loadAgent(file);
        assertThat(agent.node()).isEqualTo("web1");
        assertThat(agent.keyFile()).isEqualTo(dir.resolve("authkey").toAbsolutePath());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("send-to: [127.0.0.1:694]\nkey-file: k\n",
                        List.of("a.yaml:1:1: node: missing (expected: a name of letters, digits, '_', '.' and '-')")),
                Arguments.of("node: w\nkey-file: k\n",
                        List.of("a.yaml:1:1: send-to: missing (expected: a list of the proxies' heartbeat addresses, e.g. [192.0.2.10:694])")),
                Arguments.of("node: w\nsend-to: []\nkey-file: k\n",
                        List.of("a.yaml:2:10: send-to: [] (expected: at least one host:port)")),
                Arguments.of("node: w\nsend-to: [127.0.0.1]\nkey-file: k\n",
                        List.of("a.yaml:2:11: send-to[0]: \"127.0.0.1\" (expected: host:port with port 1..65535, IPv6 as [::1]:694)")),
                Arguments.of("node: w\nsend-to: [proxy-a]\nkey-file: k\n",
                        List.of("a.yaml:2:11: send-to[0]: \"proxy-a\" (expected: host:port with port 1..65535, IPv6 as [::1]:694)")),
                Arguments.of("node: w\nsend-to: [\"127.0.0.1:0\"]\nkey-file: k\n",
                        List.of("a.yaml:2:11: send-to[0]: \"127.0.0.1:0\" (expected: host:port with port 1..65535, IPv6 as [::1]:694)")),
                Arguments.of("node: w\nsend-to: [127.0.0.1:694]\n",
                        List.of("a.yaml:1:1: key-file: missing (expected: a file path)")),
                Arguments.of(MINIMAL + "deadtime: 1s\nwarntime: 1s\n",
                        List.of("a.yaml:4:11: deadtime: 1s (expected: > warntime 1s)")),
                Arguments.of(MINIMAL + "check: {expect-status: 200}\n",
                        List.of("a.yaml:4:8: check.url: missing (expected: http://host:port/path)")),
                Arguments.of(MINIMAL + "check: {url: \"https://127.0.0.1/\"}\n",
                        List.of("a.yaml:4:14: check.url: \"https://127.0.0.1/\" (expected: http://host:port/path)")),
                Arguments.of(MINIMAL + "check: {url: http://127.0.0.1/, timeout: 0}\n",
                        List.of("a.yaml:4:42: check.timeout: 0 (expected: > 0)")),
                Arguments.of(MINIMAL + "check: {url: http://127.0.0.1/, intervall: 1s}\n",
                        List.of("a.yaml:4:33: check.intervall: unknown key 'intervall' (expected one of: url, expect-status, receive, timeout)")),
                Arguments.of(MINIMAL + "sendto: [127.0.0.1:695]\n",
                        List.of("a.yaml:4:1: sendto: unknown key 'sendto' (did you mean 'send-to'?)")),
                Arguments.of(MINIMAL + "node: web2\n",
                        List.of("a.yaml:4:1: node: duplicate key (first at line 1)")));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void reportsTheMistakeWhereItIs(String yaml, List<String> expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseAgent(yaml, "a.yaml"));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.errors()).extracting(ConfigError::toString).isEqualTo(expected);
    }

    @Test
    void aProxyFileIsNotAnAgentFile() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parseAgent(TwoReplicas.YAML, "a.yaml"));
        assertThat(e.errors()).extracting(ConfigError::toString).contains(
                "a.yaml:1:1: node: missing (expected: a name of letters, digits, '_', '.' and '-')",
                "a.yaml:1:1: listen: unknown key 'listen' (expected one of: node, send-to, key-file, keepalive, warntime, "
                        + "deadtime, initdead, check)");
    }
}

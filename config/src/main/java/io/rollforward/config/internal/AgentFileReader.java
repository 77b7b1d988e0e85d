package io.rollforward.config.internal;

import io.rollforward.config.AgentConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.Timing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads the file of {@code rollforward agent}, the heartbeat sender beside each web server. */
public final class AgentFileReader {
    private static final int DEFAULT_EXPECT_STATUS = 200;
    private static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private AgentFileReader() {
    }

    /** Reads every setting, reporting problems to {@code root.problems()}; the result is only valid if none. */
    public static AgentConfig read(Section root, Path baseDir) {
        String node = root.required("node", ScalarType.NAME).orElse("?");
        List<HostPort> sendTo = List.of();
        if (!root.has("send-to")) {
            root.missing("send-to", "a list of the proxies' heartbeat addresses, e.g. [192.0.2.10:694]");
        } else {
            sendTo = root.list("send-to", ScalarType.REMOTE_ADDRESS).orElse(List.of());
            root.rule("send-to", !root.isEmptyList("send-to"), "at least one host:port");
        }
        Path keyFile = root.required("key-file", ScalarType.file(baseDir)).orElse(Path.of(""));
        Timing timing = TimingReader.read(root);
        Optional<AgentConfig.LocalCheck> check = root.section("check",
                "a check: {url: http://127.0.0.1:80/.testpage, expect-status: 200}").map(AgentFileReader::check);
        root.finish();
        return new AgentConfig(node, sendTo, keyFile, timing, check);
    }

    private static AgentConfig.LocalCheck check(Section check) {
        URI url = check.required("url", ScalarType.HTTP_PAGE).orElse(URI.create("http://invalid/"));
        int expectStatus = check.get("expect-status", ScalarType.HTTP_STATUS, DEFAULT_EXPECT_STATUS);
        Optional<String> receive = check.optional("receive", ScalarType.STRING);
        Duration timeout = check.positive("timeout", DEFAULT_CHECK_TIMEOUT);
        check.finish();
        return new AgentConfig.LocalCheck(url, expectStatus, receive, timeout);
    }
}

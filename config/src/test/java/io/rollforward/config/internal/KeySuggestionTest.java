package io.rollforward.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionTest {
    private static final List<String> TOP = List.of("listen", "replicas", "stagger", "per-request-timeout",
            "fail-on-status", "served-by-header", "limits", "admin", "agents", "cluster");
    private static final List<String> UDP = List.of("mode", "peers", "group", "ttl", "port", "bind", "interface");

    @ParameterizedTest
    @CsvSource({
            "stager,              stagger",
            "Listen,              listen",
            "per_request_timeout, per-request-timeout",
            "perrequesttimeout,   per-request-timeout",
            "replica,             replicas",
            "limit,               limits",
            "servedby-header,     served-by-header",
            "agent,               agents",
    })
    void suggestsTheCloseKey(String typed, String expected) {
        assertThat(KeySuggestion.closest(typed, TOP)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"timeout", "backend", "x", "clusters-of-nodes"})
    void staysQuietWhenNothingIsClose(String typed) {
        assertThat(KeySuggestion.closest(typed, TOP)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"peer, peers", "node, mode", "iface, Optional.empty", "tll, ttl"})
    void shortKeysNeedACloserMatch(String typed, String expected) {
        Optional<String> suggestion = KeySuggestion.closest(typed, UDP);
        if (expected.equals("Optional.empty")) {
            assertThat(suggestion).isEmpty();
        } else {
            assertThat(suggestion).contains(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"kitten, sitting, 3", "'', abc, 3", "abc, abc, 0", "flaw, lawn, 2"})
    void levenshteinDistance(String a, String b, int distance) {
        assertThat(KeySuggestion.distance(a, b)).isEqualTo(distance);
    }
}

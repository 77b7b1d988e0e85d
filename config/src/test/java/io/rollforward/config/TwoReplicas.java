package io.rollforward.config;

/** The smallest valid proxy file, four lines, for tests that add a line or two after it. */
final class TwoReplicas {
    static final String YAML = """
            listen: 127.0.0.1:8080
            replicas:
              - {name: a, url: http://127.0.0.1:81}
              - {name: b, url: http://127.0.0.1:82}
            """;

    private TwoReplicas() {
    }
}

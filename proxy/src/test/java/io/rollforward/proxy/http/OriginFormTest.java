package io.rollforward.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One reading of a request target for LARD's targets and the write order's keys. */
class OriginFormTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a/b?x=1         | /a/b | /a/b?x=1",
        "/a/b             | /a/b | /a/b",
        "/a#frag          | /a   | /a",
        "/a?q#frag        | /a   | /a?q",
        "http://h:8/a?q   | /a   | /a?q",
        "http://h:8       | /    | /",
        "https://h/?q     | /    | /?q",
        "*                | *    | *",
    })
    void pathAndPathAndQuery(String target, String path, String pathAndQuery) {
        assertThat(OriginForm.path(target)).isEqualTo(path);
        assertThat(OriginForm.pathAndQuery(target)).isEqualTo(pathAndQuery);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/users/7/orders | 1 | /users",
        "/users/7/orders | 2 | /users/7",
        "/users/7/orders | 5 | /users/7/orders",
        "/               | 1 | /",
    })
    void prefixKeepsTheFirstSegments(String path, int segments, String prefix) {
        assertThat(OriginForm.prefix(path, segments)).isEqualTo(prefix);
    }
}

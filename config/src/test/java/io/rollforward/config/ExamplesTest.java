package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file under config/examples loads without an error: the examples are part of the docs. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theExpectedExamplesExist() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("two-apache.yaml", "ha-pair-a.yaml", "ha-pair-b.yaml", "agent.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsWithoutError(Path file) {
        if (file.getFileName().toString().startsWith("agent")) {
            assertThatCode(() -> ConfigLoader.loadAgent(file)).doesNotThrowAnyException();
        } else {
            assertThatCode(() -> ConfigLoader.load(file)).doesNotThrowAnyException();
        }
    }

    @Test
    void twoApacheLimitsAreTheDefaults() throws ConfigException {
        // The example spells out every limit at its default: a value there that is not the code's
        // default tells the reader a wrong default.
        assertThat(ConfigLoader.load(EXAMPLES.resolve("two-apache.yaml")).limits()).isEqualTo(Limits.DEFAULT);
    }

    @Test
    void haPairNodesMirrorEachOther() throws ConfigException {
        ClusterConfig a = ConfigLoader.load(EXAMPLES.resolve("ha-pair-a.yaml")).cluster().orElseThrow();
        ClusterConfig b = ConfigLoader.load(EXAMPLES.resolve("ha-pair-b.yaml")).cluster().orElseThrow();
        assertThat(a.node()).isEqualTo(b.peer());
        assertThat(a.peer()).isEqualTo(b.node());
        assertThat(a.preferred()).isEqualTo(b.preferred());
        assertThat(a.vip()).isEqualTo(b.vip());
        assertThat(a.timing()).isEqualTo(b.timing());
        assertThat(a.udp().peers()).isEqualTo(List.of(b.udp().bind()));
        assertThat(b.udp().peers()).isEqualTo(List.of(a.udp().bind()));
        // Relative key files are taken from the examples directory, not the working directory.
        assertThat(a.keyFile()).isEqualTo(EXAMPLES.toAbsolutePath().resolve("cluster.key"));
    }
}

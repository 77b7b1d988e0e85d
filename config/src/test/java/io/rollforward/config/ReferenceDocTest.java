package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * README.md (Configuration reference) documents every key: each key of the files that use every key (which load
 * without error, so they hold only real keys) must appear in it as {@code `key`}.
 */
class ReferenceDocTest {

    @Test
    void everyKeyOfTheFullFilesIsDocumented() throws IOException, ConfigException {
        String reference = Files.readString(Path.of("..", "README.md"));
        Set<String> keys = new TreeSet<>();
        collectKeys(new Yaml().compose(new StringReader(ConfigLoaderTest.FULL)), "", keys);
        collectKeys(new Yaml().compose(new StringReader(Files.readString(Path.of("examples/agent.yaml")))), "", keys);
        // TlsConfigTest.FULL_TLS's keys are real ones: that test loads it with its certificate files
        collectKeys(new Yaml().compose(new StringReader(TlsConfigTest.FULL_TLS)), "", keys);
        collectKeys(new Yaml().compose(new StringReader(Files.readString(Path.of("examples/groups.yaml")))), "", keys);
        collectKeys(new Yaml().compose(new StringReader(Files.readString(Path.of("examples/ring-a.yaml")))), "", keys);
        ConfigLoader.parse(ConfigLoaderTest.FULL, "full.yaml"); // the keys are all real ones
        assertThat(keys).hasSizeGreaterThan(60);
        // A table names a key by its full path or by the part below its section: `cluster.udp.port`,
        // `udp.port` or `port` all document cluster.udp.port.
        assertThat(keys).allSatisfy(path -> {
            String[] parts = path.split("\\.");
            boolean documented = false;
            for (int i = 0; i < parts.length && !documented; i++) {
                documented = reference.contains("`" + String.join(".", List.of(parts).subList(i, parts.length)) + "`");
            }
            assertThat(documented).as("README.md (Configuration reference) documents %s", path).isTrue();
        });
    }

    @Test
    void durationDefaultsOfLimitsAreTheCodes() throws IOException {
        String reference = Files.readString(Path.of("..", "README.md"));
        Limits d = Limits.DEFAULT;
        java.util.Map<String, java.time.Duration> defaults = java.util.Map.of(
                "header-read-timeout", d.headerReadTimeout(), "idle-timeout", d.idleTimeout(),
                "replica-idle-timeout", d.replicaIdleTimeout(), "connect-timeout", d.connectTimeout());
        defaults.forEach((key, value) -> {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                    "\\| `" + key + "` \\| duration \\| `([^`]+)` \\|").matcher(reference);
            assertThat(row.find()).as("README.md has a row for limits.%s", key).isTrue();
            assertThat(DurationValue.parse(row.group(1)))
                    .as("README.md row of limits.%s states the default %s", key, DurationValue.format(value))
                    .isEqualTo(value);
        });
    }

    private static void collectKeys(Node node, String prefix, Set<String> keys) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                String path = prefix + ((ScalarNode) entry.getKeyNode()).getValue();
                keys.add(path);
                collectKeys(entry.getValueNode(), path + ".", keys);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(element -> collectKeys(element, prefix, keys));
        }
    }
}

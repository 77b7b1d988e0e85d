package io.rollforward.config;

import io.rollforward.config.internal.AgentFileReader;
import io.rollforward.config.internal.Problems;
import io.rollforward.config.internal.ProxyFileReader;
import io.rollforward.config.internal.Section;
import io.rollforward.config.internal.YamlDocument;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a YAML config file into a validated {@link RollforwardConfig} (the proxy) or
 * {@link AgentConfig} (the agent beside a web server).
 *
 * <p>Every error in the file is reported at once in the {@link ConfigException}, each with
 * {@code file:line:column}, the key path and what was expected. Unknown keys and duplicate keys
 * are errors. Relative {@code key-file}/{@code token-file} paths are taken from the directory of
 * the file; whether those files exist is not checked here (their readers do that).
 */
public final class ConfigLoader {
    private static final Logger logger = LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {
    }

    /** @throws ConfigException listing every error found, each with file:line:column and key path */
    public static RollforwardConfig load(Path file) throws ConfigException {
        return parse(read(file), file.toString());
    }

    /**
     * Parses {@code yamlText} as if read from {@code fileName}, which names the file in errors and
     * whose directory relative paths are resolved against (the working directory if it has none).
     *
     * @throws ConfigException listing every error found
     */
    public static RollforwardConfig parse(String yamlText, String fileName) throws ConfigException {
        return parse(yamlText, fileName, "a mapping of settings: listen, replicas, ...", ProxyFileReader::read);
    }

    /** @throws ConfigException listing every error found in the agent's file */
    public static AgentConfig loadAgent(Path file) throws ConfigException {
        return parseAgent(read(file), file.toString());
    }

    /** As {@link #parse(String, String)}, for the agent's file. */
    public static AgentConfig parseAgent(String yamlText, String fileName) throws ConfigException {
        return parse(yamlText, fileName, "a mapping of settings: node, send-to, key-file, ...", AgentFileReader::read);
    }

    private static <T> T parse(String yamlText, String fileName, String expected,
                               BiFunction<Section, Path, T> reader) throws ConfigException {
        Problems problems = new Problems(fileName);
        Optional<Section> root = YamlDocument.compose(yamlText, problems)
                .flatMap(node -> Section.open(node, "", problems, expected));
        T config = root.map(section -> reader.apply(section, baseDir(fileName))).orElse(null);
        problems.throwIfAny();
        logger.debug("loaded {}", fileName);
        return config;
    }

    private static Path baseDir(String fileName) {
        try {
            Path parent = Path.of(fileName).toAbsolutePath().getParent();
            return parent != null ? parent : Path.of("").toAbsolutePath();
        } catch (InvalidPathException e) {
            return Path.of("").toAbsolutePath(); // a name like "<stdin>" on a system that refuses it
        }
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (CharacterCodingException e) {
            throw unreadable(file, "not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, "cannot read: " + e.getMessage());
        }
    }

    private static ConfigException unreadable(Path file, String message) {
        return new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "", message)));
    }
}

package io.rollforward.config.internal;

import io.rollforward.config.ByteSize;
import io.rollforward.config.DurationValue;
import io.rollforward.config.HostPort;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A kind of scalar a setting holds: how to read it from its text, and what to tell the operator
 * when the text is not one ({@code expected}). Reading from a node reports the error with the
 * node's location and returns empty.
 *
 * @param expected what a valid value looks like, for {@code (expected: ...)}
 * @param parser   reads the text; throws {@link IllegalArgumentException} when it is not one
 */
public record ScalarType<T>(String expected, Parser<T> parser) {

    /** Reads a value from its text. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    private static final Pattern NAME_SYNTAX = Pattern.compile("[A-Za-z0-9_.-]+");
    // RFC 9110 section 5.6.2 token characters.
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // YAML 1.1 booleans, the ones SnakeYAML resolves to bool.
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");

    public static final ScalarType<String> STRING = new ScalarType<>("a non-empty string", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return text;
    });
    public static final ScalarType<String> NAME = new ScalarType<>(
            "a name of letters, digits, '_', '.' and '-'", text -> matching(NAME_SYNTAX, text));
    public static final ScalarType<String> HEADER_NAME = new ScalarType<>(
            "an HTTP header name, or false to send none", text -> matching(TOKEN_SYNTAX, text));
    public static final ScalarType<String> HEADER_FIELD = new ScalarType<>(
            "an HTTP header name", text -> matching(TOKEN_SYNTAX, text));
    public static final ScalarType<Integer> INTEGER = new ScalarType<>("an integer", ScalarType::integer);
    public static final ScalarType<Integer> HTTP_STATUS = new ScalarType<>("an HTTP status 100..599", text -> {
        int status = integer(text);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException(text);
        }
        return status;
    });
    public static final ScalarType<Boolean> BOOLEAN = new ScalarType<>("true or false", text -> {
        String folded = text.toLowerCase(Locale.ROOT);
        if (TRUE.contains(folded)) {
            return true;
        }
        if (FALSE.contains(folded)) {
            return false;
        }
        throw new IllegalArgumentException(text);
    });
    public static final ScalarType<Duration> DURATION = new ScalarType<>(
            "a duration like 250ms, 5s, 1.5s, 2m, 1h or 0", DurationValue::parse);
    public static final ScalarType<Long> BYTE_SIZE = new ScalarType<>(
            "a size like 512KiB, 10MiB, 1GiB, 64KB or a number of bytes", ByteSize::parse);
    public static final ScalarType<HostPort> LISTEN_ADDRESS = new ScalarType<>(
            "host:port, IPv6 as [::1]:8080", text -> HostPortValue.parse(text, 0));
    public static final ScalarType<HostPort> REMOTE_ADDRESS = new ScalarType<>(
            "host:port with port 1..65535, IPv6 as [::1]:694", text -> HostPortValue.parse(text, 1));
    public static final ScalarType<String> HOST = new ScalarType<>(
            "an IP address or a host name", text -> {
                if (!HostName.isValid(text)) {
                    throw new IllegalArgumentException(text);
                }
                return text;
            });
    public static final ScalarType<String> IP_ADDRESS = new ScalarType<>(
            "an IPv4 or IPv6 address", text -> {
                if (IpLiteral.parse(text).isEmpty()) {
                    throw new IllegalArgumentException(text);
                }
                return text;
            });
    /** A {@code Host} header value (RFC 9110 section 7.2): host or host:port, IPv6 in brackets. */
    public static final ScalarType<String> HOST_HEADER = new ScalarType<>(
            "a host or host:port, IPv6 as [::1]", text -> {
                boolean bracketed = text.startsWith("[") && text.endsWith("]") && IpLiteral.isIpv6(text.substring(1, text.length() - 1));
                if (!bracketed && (text.indexOf(':') >= 0 ? HostPortValue.parse(text, 1) == null : !HostName.isDnsName(text)
                        && !IpLiteral.isIpv4(text))) {
                    throw new IllegalArgumentException(text);
                }
                return text;
            });
    public static final ScalarType<io.rollforward.config.CidrBlock> CIDR = new ScalarType<>(
            "an address or a block like 10.0.0.0/8 or fd00::/8", CidrValue::parse);
    public static final ScalarType<Integer> PORT = new ScalarType<>(
            "a port 1..65535", text -> HostPortValue.port(text, 1, text));
    public static final ScalarType<HostPort> HTTP_ORIGIN = new ScalarType<>(
            "http://host:port", HttpUrl::origin);
    public static final ScalarType<URI> HTTP_PAGE = new ScalarType<>(
            "http://host:port/path", HttpUrl::page);

    /** A file path; a relative one is taken from {@code baseDir}, the config file's directory. */
    public static ScalarType<Path> file(Path baseDir) {
        return new ScalarType<>("a file path", text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            try {
                return baseDir.resolve(Path.of(text)).normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(text, e);
            }
        });
    }

    /** An enum constant written in lower case ({@code auto} for {@code AUTO}); other spellings are errors. */
    public static <E extends Enum<E>> ScalarType<E> lowerCaseEnum(String expected, Class<E> type) {
        return new ScalarType<>(expected, text -> {
            if (!text.equals(text.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(text);
            }
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        });
    }

    /** Reads {@code node}, reporting at its location under {@code path} when it is not a T. */
    public Optional<T> read(Node node, String path, Problems problems) {
        if (!(node instanceof ScalarNode scalar)) {
            problems.report(node, path, NodeShape.describe(node) + " (expected: " + expected + ")");
            return Optional.empty();
        }
        if (scalar.getTag().equals(Tag.NULL) && scalar.isPlain()) {
            problems.report(node, path, "no value (expected: " + expected + ")");
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(scalar.getValue()));
        } catch (IllegalArgumentException e) {
            problems.report(node, path, quote(scalar.getValue()) + " (expected: " + expected + ")");
            return Optional.empty();
        }
    }

    /** The text in double quotes, with quotes, backslashes and control characters escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Whether {@code text} is an RFC 9110 token, as header names are. */
    static boolean isToken(String text) {
        return TOKEN_SYNTAX.matcher(text).matches();
    }

    private static String matching(Pattern pattern, String text) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException(text);
        }
        return text;
    }

    /** Plain decimal only: YAML 1.1 would read 0x1F as 31 and 010 as 8, which nobody means here. */
    private static int integer(String text) {
        if (!text.matches("-?[0-9]{1,10}")) {
            throw new IllegalArgumentException(text);
        }
        return Integer.parseInt(text); // NumberFormatException (an IllegalArgumentException) on overflow
    }
}

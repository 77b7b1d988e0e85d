package io.rollforward.config.internal;

import io.rollforward.config.OrderingConfig;
import io.rollforward.config.OrderingConfig.Key;
import io.rollforward.config.OrderingConfig.Reads;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads {@code ordering}: which requests are ordered, by which key, and whether reads wait. */
final class OrderingReader {
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    static final String KEY_EXPECTED = "service, path, path-prefix:N (N >= 1) or header:NAME";

    static final ScalarType<String> METHOD_NAME = new ScalarType<>("an HTTP method in upper case, like POST", text -> {
        if (!METHOD.matcher(text).matches()) {
            throw new IllegalArgumentException(text);
        }
        return text;
    });
    static final ScalarType<Key> KEY = new ScalarType<>(KEY_EXPECTED, OrderingReader::key);
    static final ScalarType<Reads> READS = new ScalarType<>("free or after-writes", text -> switch (text) {
        case "free" -> Reads.FREE;
        case "after-writes" -> Reads.AFTER_WRITES;
        default -> throw new IllegalArgumentException(text);
    });

    private OrderingReader() {
    }

    static OrderingConfig read(Section ordering) {
        OrderingConfig d = OrderingConfig.DEFAULT;
        var methods = ordering.list("methods", METHOD_NAME).<java.util.Set<String>>map(LinkedHashSet::new)
                .orElse(d.methods());
        ordering.rule("methods", !ordering.isEmptyList("methods"), "at least one method; leave out 'ordering' to order nothing");
        Key key = ordering.get("key", KEY, d.key());
        Reads reads = ordering.get("reads", READS, d.reads());
        ordering.finish();
        return new OrderingConfig(methods, key, reads);
    }

    private static Key key(String text) {
        String folded = text.toLowerCase(Locale.ROOT);
        if (folded.equals("service")) {
            return Key.SERVICE;
        }
        if (folded.equals("path")) {
            return Key.PATH;
        }
        if (folded.startsWith("path-prefix:")) {
            String n = text.substring("path-prefix:".length());
            if (!n.matches("[1-9][0-9]{0,2}")) {
                throw new IllegalArgumentException(text);
            }
            return Key.pathPrefix(Integer.parseInt(n));
        }
        if (folded.startsWith("header:")) {
            String name = text.substring("header:".length());
            if (!ScalarType.isToken(name)) {
                throw new IllegalArgumentException(text);
            }
            return Key.header(name);
        }
        throw new IllegalArgumentException(text);
    }
}

package io.rollforward.config;

import java.util.Locale;
import java.util.Set;

/**
 * One order of writes on every replica: requests with one of {@code methods} and the same key
 * reach every replica in the order the proxy received them (a replica gets write k+1 of a key only
 * after it answered write k in full).
 *
 * @param methods the ordered request methods, upper case (default POST, PUT, PATCH, DELETE)
 * @param key     what makes two writes "the same key" (default {@link Key#SERVICE}: all of them)
 * @param reads   whether a read of a key waits for the earlier writes of that key on each replica
 *                (default {@link Reads#FREE})
 */
public record OrderingConfig(Set<String> methods, Key key, Reads reads) {
    public static final Set<String> DEFAULT_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    public static final OrderingConfig DEFAULT = new OrderingConfig(DEFAULT_METHODS, Key.SERVICE, Reads.FREE);

    public OrderingConfig {
        methods = Set.copyOf(methods);
    }

    /** Reads either run at once or wait for the writes before them. */
    public enum Reads {
        /** Reads are never held (default). */
        FREE,
        /** A read with the key of queued writes waits, on each replica, until those writes are answered. */
        AFTER_WRITES;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How a request's ordering key is formed. */
    public enum KeyKind {
        /** One key for every write: a total order (default). */
        SERVICE,
        /** The path without the query string. */
        PATH,
        /** The first {@code segments} path segments. */
        PATH_PREFIX,
        /** The value of one request header (a missing header is the empty key). */
        HEADER;

        /** The {@code key_kind} tag of the ordering metrics. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param kind     how the key is formed
     * @param segments path segments kept, for {@link KeyKind#PATH_PREFIX} (else 0)
     * @param header   the header read, for {@link KeyKind#HEADER} (else empty)
     */
    public record Key(KeyKind kind, int segments, String header) {
        public static final Key SERVICE = new Key(KeyKind.SERVICE, 0, "");
        public static final Key PATH = new Key(KeyKind.PATH, 0, "");

        public static Key pathPrefix(int segments) {
            return new Key(KeyKind.PATH_PREFIX, segments, "");
        }

        public static Key header(String name) {
            return new Key(KeyKind.HEADER, 0, name);
        }

        /** As written in the file: {@code service}, {@code path}, {@code path-prefix:2}, {@code header:X-Tenant}. */
        @Override
        public String toString() {
            return switch (kind) {
                case SERVICE, PATH -> kind.tag();
                case PATH_PREFIX -> "path-prefix:" + segments;
                case HEADER -> "header:" + header;
            };
        }
    }
}

package io.rollforward.proxy.http;

/**
 * The origin-form part of a request target (RFC 9112, section 3.2): an absolute-form target loses
 * its scheme and authority, every form loses its fragment. {@code *} (asterisk-form) stays as is.
 */
public final class OriginForm {
    private OriginForm() {
    }

    /** The path, without query: {@code http://h/a/b?x=1} is {@code /a/b}; never empty. */
    public static String path(String target) {
        return part(target, false);
    }

    /** The path and query: {@code http://h/a/b?x=1#f} is {@code /a/b?x=1}; never empty. */
    public static String pathAndQuery(String target) {
        return part(target, true);
    }

    /** The first {@code segments} segments of {@code path}: {@code /users/7/orders} with 2 is {@code /users/7}. */
    public static String prefix(String path, int segments) {
        int seen = 0;
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++seen == segments) {
                return path.substring(0, i);
            }
        }
        return path;
    }

    private static String part(String target, boolean withQuery) {
        int start = 0;
        int scheme = target.indexOf("://");
        if (scheme > 0 && !target.startsWith("/")) {
            int slash = target.indexOf('/', scheme + 3);
            if (slash < 0) {
                return "/";
            }
            start = slash;
        }
        int end = target.length();
        for (int i = start; i < end; i++) {
            char c = target.charAt(i);
            if (c == '#' || (c == '?' && !withQuery)) {
                end = i;
                break;
            }
        }
        return start == end ? "/" : target.substring(start, end);
    }
}

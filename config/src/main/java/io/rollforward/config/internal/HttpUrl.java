package io.rollforward.config.internal;

import io.rollforward.config.HostPort;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Plain {@code http://} URLs, the only kind a replica or an agent's local check speaks (TLS to a
 * replica is out of scope: the replicas sit on the proxy's private network).
 */
final class HttpUrl {
    private static final int DEFAULT_PORT = 80;

    private HttpUrl() {
    }

    /** {@code http://host[:port][/]}: a replica's address; any other path is refused. */
    static HostPort origin(String text) {
        URI uri = parse(text);
        String path = uri.getRawPath();
        if (!(path == null || path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(text);
        }
        return new HostPort(host(uri), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }

    /** {@code http://host[:port]/path}: the page an agent fetches; path "/" when none is given. */
    static URI page(String text) {
        URI uri = parse(text);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String authority = new HostPort(host(uri), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()).toString();
        return URI.create("http://" + authority + path + query);
    }

    private static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(text, e);
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("http")
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || uri.getPort() == 0 || !HostName.isValid(host(uri))) {
            throw new IllegalArgumentException(text);
        }
        return uri;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
